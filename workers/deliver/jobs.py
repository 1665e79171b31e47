"""The delivery jobs as plain callables, shared by the Celery tasks and the embedded runner."""

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import httpx
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from notify import SummaryPublisher
from notify.hub import GONE
from notify.webhooks import signed_headers
from schemas.tasks import ATTEMPT_DELIVERY, DISPATCH_WEBHOOK, SUMMARY_CHANGED, SWEEP_DELIVERIES
from store.db import after_commit, session_scope
from store.repositories import subscriptions as repo
from store.repositories.summaries import read_summary_body
from taskqueue import TaskSender
from taskqueue.senders import Handler
from telemetry.metrics import SWEEPER_RESENT, WEBHOOK_DELIVERIES
from workers.deliver import flow
from workers.deliver.send import post_webhook, webhook_client

log = logging.getLogger(__name__)

SWEEP_BATCH = 500


@dataclass(frozen=True, slots=True)
class DeliverJobs:
    """Binds the delivery jobs to a database, a task sender, a publisher and the settings."""

    factory: sessionmaker[Session]
    sender: TaskSender
    publisher: SummaryPublisher
    settings: Settings
    rng: random.Random = field(default_factory=random.Random)

    @property
    def policy(self) -> flow.RetryPolicy:
        """The retry schedule and dead-endpoint limit from the settings."""
        return flow.RetryPolicy(
            schedule=self.settings.webhook_retry_schedule,
            disable_after=timedelta(seconds=self.settings.webhook_disable_after_s),
        )

    def summary_changed(self, event_id: int, version: int) -> None:
        """Schedule the webhook dispatches, then publish the summary to stream clients (or that
        the event is gone, so API processes stop serving its cached summary)."""
        with session_scope(self.factory) as session:
            stored = read_summary_body(session, event_id)
            if stored is None:
                self.publisher.publish(event_id, version, body=GONE)
                return
            flow.schedule_dispatches(
                session, event_id=event_id, version=version, sender=self.sender
            )
        stored_version, body = stored
        self.publisher.publish(event_id, stored_version, body=body)

    def dispatch(self, subscription_id: int) -> None:
        """Create the coalesced delivery of the latest version when due, and attempt it now."""
        with session_scope(self.factory) as session:
            delivery_id = flow.dispatch(
                session, subscription_id=subscription_id, sender=self.sender
            )
        if delivery_id is not None:
            self.attempt(delivery_id)

    def attempt(self, delivery_id: int) -> None:
        """One attempt: lease and read, close the transaction, POST, record in a fresh one."""
        with session_scope(self.factory) as session:
            outgoing = flow.claim_attempt(session, delivery_id=delivery_id)
        if outgoing is None:
            return
        headers = signed_headers(
            outgoing.secret,
            webhook_id=outgoing.webhook_id,
            timestamp=int(time.time()),
            body=outgoing.body,
        )
        with self._client() as client:
            result = post_webhook(
                client,
                url=outgoing.url,
                headers=headers,
                body=outgoing.body,
                timeout_s=self.settings.webhook_timeout_s,
            )
        with session_scope(self.factory) as session:
            status = flow.record_attempt(
                session,
                delivery_id=delivery_id,
                result=result,
                policy=self.policy,
                sender=self.sender,
                rng=self.rng,
            )
        WEBHOOK_DELIVERIES.labels(status).inc()
        log.info("delivery %s: %s (%s)", delivery_id, status, result.status or result.error)

    def sweep(self) -> None:
        """Re-send attempts and dispatches whose scheduled message was lost."""
        older_than = timedelta(seconds=self.settings.sweep_after_s)
        with session_scope(self.factory) as session:
            deliveries = repo.claim_stale_deliveries(
                session, older_than=older_than, limit=SWEEP_BATCH
            )
            for delivery_id in deliveries:
                after_commit(session, partial(self.sender.send, ATTEMPT_DELIVERY, delivery_id))
            dispatches = repo.claim_stale_dispatches(
                session, older_than=older_than, limit=SWEEP_BATCH
            )
            for subscription_id in dispatches:
                after_commit(session, partial(self.sender.send, DISPATCH_WEBHOOK, subscription_id))
        SWEEPER_RESENT.labels("deliveries").inc(len(deliveries))
        SWEEPER_RESENT.labels("dispatches").inc(len(dispatches))

    def _client(self) -> httpx.Client:
        """A client for one attempt: public addresses only, unless private ones are allowed."""
        return webhook_client(
            allow_private_networks=self.settings.allow_private_networks,
            timeout_s=self.settings.webhook_timeout_s,
        )

    def handlers(self) -> dict[str, Handler]:
        """Task name to callable, for the in-process runner."""
        return {
            SUMMARY_CHANGED: self.summary_changed,
            DISPATCH_WEBHOOK: self.dispatch,
            ATTEMPT_DELIVERY: self.attempt,
            SWEEP_DELIVERIES: self.sweep,
        }
