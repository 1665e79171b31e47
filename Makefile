# One entry point for setting up, running and checking the service.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
export REACTIONS_ADMIN_TOKEN ?= dev-token

.PHONY: run test lint check score train-speaker bench-extract bench-pipeline bench-api clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

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
