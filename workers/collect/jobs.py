"""The collect jobs as plain callables, shared by the Celery tasks and the embedded runner."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from schemas.tasks import POLL_SOURCE, SCHEDULE_SOURCES
from store.db import session_scope
from store.repositories import sources
from store.repositories.sources import ItemState
from taskqueue import TaskSender
from taskqueue.senders import Handler
from usecases.sources import poll_due_sources
from workers.collect.collectors import COLLECTORS, MAX_ITEM_ATTEMPTS, Harvest, Target
from workers.collect.errors import CollectError
from workers.collect.fetch import Fetcher, FetchLimits, make_client
from workers.collect.ingest import prepare, store_items
from workers.collect.netguard import AddressRule, is_public_address

log = logging.getLogger(__name__)

SCHEDULE_BATCH = 200
BACKOFF_CAP_S = 6 * 3600


@dataclass(frozen=True, slots=True)
class _DbLedger:
    """A source's item records, each read in its own short transaction."""

    factory: sessionmaker[Session]
    source_id: int

    def known(self, key_hashes: Sequence[str]) -> dict[str, ItemState]:
        """The records of these entries that exist."""
        with session_scope(self.factory) as session:
            return sources.item_states(session, source_id=self.source_id, key_hashes=key_hashes)

    def retryable(self, *, limit: int) -> dict[str, ItemState]:
        """Failed entries still worth another attempt."""
        with session_scope(self.factory) as session:
            return sources.failed_items(
                session, source_id=self.source_id, max_attempts=MAX_ITEM_ATTEMPTS, limit=limit
            )


@dataclass(frozen=True, slots=True)
class CollectJobs:
    """Binds the collect jobs to a database, a task sender, the settings and a client maker."""

    factory: sessionmaker[Session]
    sender: TaskSender
    settings: Settings
    client: Callable[[FetchLimits], httpx.Client] | None = None

    def schedule_sources(self) -> None:
        """Claim every due source (row locks, skip locked) and send one poll task per claim."""
        with session_scope(self.factory) as session:
            poll_due_sources(session, sender=self.sender, limit=SCHEDULE_BATCH)

    def poll_source(self, source_id: int, token: int) -> None:
        """Run one claimed poll: read state, fetch with no session open, write in a new one."""
        with session_scope(self.factory) as session:
            state = sources.start_poll(session, source_id=source_id, token=token)
        if state is None:
            return
        target = Target(
            kind=state.kind,
            url=state.url,
            query=state.query,
            etag=state.etag,
            last_modified=state.last_modified,
            cursor=state.cursor,
        )
        harvest, error = self._harvest(target, source_id)
        prepared = [prepare(item) for item in harvest.items]
        with session_scope(self.factory) as session:
            stored = store_items(session, source_id=source_id, items=prepared, sender=self.sender)
            sources.finish_poll(
                session,
                source_id=source_id,
                token=token,
                error=error,
                item_error=(
                    f"{stored.failed} entries failed; first: {stored.first_error}"
                    if stored.failed
                    else None
                ),
                validators=harvest.validators,
                cursor=harvest.cursor,
                collected=stored.collected,
                backoff_cap_s=BACKOFF_CAP_S,
            )

    def _harvest(self, target: Target, source_id: int) -> tuple[Harvest, str | None]:
        """Run the source's collector; any failure becomes the error to record, never a crash."""
        limits = FetchLimits(
            deadline_s=self.settings.fetch_deadline_s, max_bytes=self.settings.fetch_max_bytes
        )
        try:
            with self._make_client(limits) as client:
                ledger = _DbLedger(self.factory, source_id)
                return COLLECTORS[target.kind](Fetcher(client, limits), target, ledger=ledger), None
        except CollectError as exc:
            return Harvest(), str(exc)
        except Exception as exc:
            log.exception("polling source %s failed unexpectedly", source_id)
            return Harvest(), f"{type(exc).__name__}: {exc}"

    def _make_client(self, limits: FetchLimits) -> httpx.Client:
        """The injected client, or one that enforces the address rule unless it is lifted."""
        if self.client is not None:
            return self.client(limits)
        rule: AddressRule | None = (
            None if self.settings.allow_private_networks else is_public_address
        )
        return make_client(allowed=rule, limits=limits)

    def handlers(self) -> dict[str, Handler]:
        """Task name to callable, for the in-process runner."""
        return {SCHEDULE_SOURCES: self.schedule_sources, POLL_SOURCE: self.poll_source}
