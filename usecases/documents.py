"""Documents: store one for processing, read its status and reactions, delete it."""

from sqlalchemy.orm import Session

from schemas.documents import DocumentCreate, DocumentRead
from schemas.tasks import PROCESS_DOCUMENT
from store.db import after_commit
from store.models import Document
from store.repositories import documents, reactions
from taskqueue import TaskSender
from usecases import corrections
from usecases.errors import NotFoundError


def store_document(
    session: Session, data: DocumentCreate, *, sender: TaskSender
) -> tuple[Document, bool]:
    """Store a document as queued and send it for processing once committed; the document
    and whether it is new (a text posted before is returned as it is, and not sent again)."""
    document, created = documents.create_document(session, data)
    if created:
        document_id = document.id
        after_commit(session, lambda: sender.send(PROCESS_DOCUMENT, document_id))
    return document, created


def read_document(session: Session, document_id: int) -> DocumentRead:
    """A document's status, error and reactions; 404 when unknown."""
    document = documents.get_document(session, document_id)
    if document is None:
        raise NotFoundError(f"document {document_id} not found")
    return DocumentRead(
        id=document.id,
        status=document.status,
        error=document.error,
        title=document.title,
        url=document.url,
        reactions=reactions.reactions_of_document(session, document.id),
    )


def delete_document(session: Session, document_id: int, *, sender: TaskSender) -> None:
    """Delete a document and its reactions (404 when unknown); its events and speakers follow."""
    if documents.get_document(session, document_id) is None:
        raise NotFoundError(f"document {document_id} not found")
    corrections.delete_document(session, document_id=document_id, sender=sender)
