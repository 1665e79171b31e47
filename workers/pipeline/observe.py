"""What a processing attempt tells operators: counters, the queued->processed lag, a log line."""

import logging

from sqlalchemy.orm import Session, sessionmaker

from store.repositories import documents
from telemetry.logs import bind
from telemetry.metrics import (
    DOCUMENT_ATTEMPTS,
    DOCUMENT_LAG,
    DOCUMENTS_FAILED,
    DOCUMENTS_PROCESSED,
)
from workers.pipeline.process import Attempt

log = logging.getLogger(__name__)


def record_attempt(factory: sessionmaker[Session], attempt: Attempt) -> None:
    """Count the attempt by outcome; for processed documents, observe and log each one's lag."""
    DOCUMENT_ATTEMPTS.labels(attempt.outcome).inc()
    if attempt.outcome == "failed":
        DOCUMENTS_FAILED.inc()
    if not attempt.processed:
        return
    DOCUMENTS_PROCESSED.inc(len(attempt.processed))
    with factory() as session:
        lags = documents.processing_lags(session, attempt.processed)
    for lag in lags:
        DOCUMENT_LAG.observe(lag)
    with bind(batch=list(attempt.processed)):
        log.info(
            "processed %d documents",
            len(attempt.processed),
            extra={"max_lag_s": max(lags, default=0.0)},
        )
