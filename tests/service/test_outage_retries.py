"""A document whose processing meets a database outage is retried uncounted (real PostgreSQL)."""

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from store.models import Document
from store.outages import is_infrastructure_error
from tests.factories import pipeline_docs
from tests.service.test_pipeline_store import RecordingSender, add_document
from workers.extract import ExtractedQuote, extract_reactions
from workers.pipeline import process

CUT_OTHER_TRANSACTIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()
"""


def test_an_outage_mid_processing_is_raised_uncounted_and_the_retry_processes_it(
    factory: sessionmaker[Session], postgres_url: str
) -> None:
    doc = pipeline_docs()[0]
    document_id = add_document(factory, doc["text"], doc["title"])

    def extract_then_lose_the_database(
        text: str, *, title: str | None = None
    ) -> list[ExtractedQuote]:
        """Extract while the server ends the processing transaction's connection."""
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=5) as admin:
            assert admin.execute(CUT_OTHER_TRANSACTIONS).fetchall() == [(True,)]
        return extract_reactions(text, title=title)

    # One attempt allowed: had the outage counted, the document would now be failed.
    with pytest.raises(sa_exc.OperationalError) as caught:
        process.run_process_document(
            factory,
            document_id=document_id,
            sender=RecordingSender(),
            max_attempts=1,
            extract=extract_then_lose_the_database,
        )
    assert is_infrastructure_error(caught.value)
    with factory() as session:
        waiting = session.get(Document, document_id)
        assert waiting is not None
        assert (waiting.status, waiting.attempts, waiting.error) == ("queued", 0, None)

    retried = process.run_process_document(
        factory, document_id=document_id, sender=RecordingSender(), max_attempts=1
    )
    assert retried.outcome == "processed"
