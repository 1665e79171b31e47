# One entry point for setting up, running and checking the service.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
export REACTIONS_ADMIN_TOKEN ?= dev-token

.PHONY: run test lint check lock lock-check score train-speaker bench-extract bench-pipeline bench-api clean

# Reproducible install: every package pinned with its hashes in the lock, then the project itself.
# The lock is complete, so pip installs it as it stands (--no-deps) instead of resolving again:
# re-resolving let a newer release on the index (lxml 6.2.0, asked for as justext's
# lxml[html_clean]) fail the hash check. `pip check` then proves nothing is missing.
LOCKS := requirements.lock requirements-dev.lock
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"

$(STAMP): pyproject.toml $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

lock: $(STAMP)  ## re-pin requirements*.lock after a change to pyproject.toml's dependencies
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements-dev.lock

lock-check: $(STAMP)  ## fail when the locks no longer satisfy pyproject.toml (pins kept)
	mkdir -p build
	for lock in $(LOCKS); do cp $$lock build/$$lock; done
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o build/requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o build/requirements-dev.lock
	for lock in $(LOCKS); do diff -u $$lock build/$$lock || { echo "$$lock is stale: run make lock"; exit 1; }; done

run: $(STAMP)  ## embedded mode on SQLite with the demo data, at http://127.0.0.1:8000
	$(BIN)/reactions serve --demo

test: $(STAMP)  ## the whole test suite (needs PostgreSQL and Redis on 127.0.0.1)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

check: lint test

score: $(STAMP)  ## extraction quality on PolNeAR dev, with the shared scorer
	mkdir -p build
	$(BIN)/reactions extract --input $(SHARED)/corpora/polnear/dev.jsonl --output build/dev.pred.jsonl
	$(BIN)/python $(SHARED)/tools/score_quotes.py --gold $(SHARED)/corpora/polnear/dev.jsonl --pred build/dev.pred.jsonl

train-speaker: $(STAMP)  ## retrain the speaker ranker on PolNeAR train (deterministic)
	$(BIN)/python -m workers.extract.train_speaker --corpus $(SHARED)/corpora/polnear/train.jsonl

bench-extract: $(STAMP)
	$(BIN)/python bench/extract.py

bench-pipeline: $(STAMP)
	$(BIN)/python bench/pipeline.py

bench-api: $(STAMP)
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) build data .pytest_cache .mypy_cache .ruff_cache
