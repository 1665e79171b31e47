"""The base of every task: an outage of the database or broker is retried, never acked away."""

import logging
from typing import Any

from celery import Task

from store.outages import is_infrastructure_error

log = logging.getLogger(__name__)

MAX_OUTAGE_BACKOFF_S = 10.0
OUTAGE_MAX_RETRIES = 8640  # a day of retries 10 s apart; the sweepers cover what is left


def outage_backoff(retries: int) -> float:
    """Seconds before the next try of a task that met an outage: 1, 2, 4, 8, then 10.

    Short enough that work resumes within seconds of the outage ending, long enough that a
    backlog of waiting messages costs the recovering servers little.
    """
    return min(2.0 ** min(retries, 16), MAX_OUTAGE_BACKOFF_S)


class OutageRetryingTask(Task):
    """Runs the task; when it meets an outage, re-sends it with backoff instead of failing it.

    The failed try records nothing (a document's attempts count only its own errors), and the
    message is acknowledged only once its retry is on the broker.
    """

    max_retries = OUTAGE_MAX_RETRIES

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run; retry outages with backoff, let every other error fail the task as before."""
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            if not is_infrastructure_error(exc):
                raise
            countdown = outage_backoff(self.request.retries)
            log.warning("%s%s met an outage (%s); retry in %.0f s", self.name, args, exc, countdown)
            raise self.retry(exc=exc, countdown=countdown) from exc
