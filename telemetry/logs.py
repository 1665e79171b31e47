"""JSON log lines with the request, document, event and subscription ids bound by the edges."""

import json
import logging
import logging.config
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_KEY = "request_id"
_ids: ContextVar[dict[str, object] | None] = ContextVar("reactions_log_ids", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def bound_ids() -> dict[str, object]:
    """The ids bound in this context (request, document, event, subscription...)."""
    return dict(_ids.get() or {})


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
