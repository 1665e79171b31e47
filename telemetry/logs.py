"""JSON log lines with the request, document, event and subscription ids bound by the edges."""

import json
import logging
import logging.config
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from schemas.tasks import (
    ATTEMPT_DELIVERY,
    BACKFILL_EVENT,
    DISPATCH_WEBHOOK,
    POLL_SOURCE,
    PROCESS_DOCUMENT,
    SUMMARY_CHANGED,
)

REQUEST_ID_KEY = "request_id"
# The id a task's first argument is, for the log lines the task writes.
FIRST_ARGUMENT_ID = {
    PROCESS_DOCUMENT: "document_id",
    BACKFILL_EVENT: "event_id",
    SUMMARY_CHANGED: "event_id",
    DISPATCH_WEBHOOK: "subscription_id",
    ATTEMPT_DELIVERY: "delivery_id",
    POLL_SOURCE: "source_id",
}
_ids: ContextVar[dict[str, object] | None] = ContextVar("reactions_log_ids", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def bound_ids() -> dict[str, object]:
    """The ids bound in this context (request, document, event, subscription...)."""
    return dict(_ids.get() or {})


def task_ids(name: str, args: Sequence[object]) -> dict[str, object]:
    """The ids a task's log lines carry: its name and the id its first argument is."""
    ids: dict[str, object] = {"task": name}
    subject = FIRST_ARGUMENT_ID.get(name)
    if subject and args:
        ids[subject] = args[0]
    return ids


@contextmanager
def bind(**ids: object) -> Iterator[None]:
    """Add ids to every log line written in this context until the block ends (None skipped)."""
    token = _ids.set({**(_ids.get() or {}), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        _ids.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the bound ids and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **bound_ids(),
        }
        line.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD_FIELDS)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(level: str = "INFO", *, access_log: bool = True) -> dict[str, Any]:
    """A `dictConfig` sending every logger (uvicorn's and Celery's too) as JSON to stderr.

    Passed to uvicorn as its `log_config`, so its worker processes log the same way.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "telemetry.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own handlers would print plain text; ours carry the request id instead.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            "reactions.access": {"level": "INFO" if access_log else "WARNING"},
        },
    }


def configure_logging(level: str = "INFO", *, access_log: bool = True) -> None:
    """Log JSON lines to stderr from this process on."""
    logging.config.dictConfig(logging_config(level, access_log=access_log))
