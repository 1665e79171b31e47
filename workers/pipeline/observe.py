"""What a processing attempt tells operators: counters, the queued->processed lag, a log line."""

import logging

from telemetry.logs import bind
from telemetry.metrics import (
    DOCUMENT_ATTEMPTS,
    DOCUMENT_LAG,
    DOCUMENTS_FAILED,
    DOCUMENTS_PROCESSED,
)
from workers.pipeline.process import Attempt

log = logging.getLogger(__name__)


def record_attempt(attempt: Attempt) -> None:
    """Count the attempt by outcome; for processed documents, observe and log each one's lag."""
    DOCUMENT_ATTEMPTS.labels(attempt.outcome).inc()
    if attempt.outcome == "failed":
        DOCUMENTS_FAILED.inc()
    if not attempt.processed:
        return
    DOCUMENTS_PROCESSED.inc(len(attempt.processed))
    for lag in attempt.lags:
        DOCUMENT_LAG.observe(lag)
    with bind(batch=list(attempt.processed)):
        log.info(
            "processed %d documents",
            len(attempt.processed),
            extra={"max_lag_s": max(attempt.lags, default=0.0)},
        )
