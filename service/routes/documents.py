"""Documents: push one for processing, read its status and reactions."""

import logging

from fastapi import APIRouter, Response, status

from schemas.documents import DocumentAccepted, DocumentCreate, DocumentRead
from schemas.tasks import PROCESS_DOCUMENT
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.errors import NotFoundError
from service.pagination import PathId
from store import corrections
from store.db import after_commit
from store.repositories import documents, reactions

router = APIRouter(prefix="/v1/documents", tags=["documents"])
log = logging.getLogger(__name__)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[AdminDep],
    responses={200: {"model": DocumentAccepted, "description": "the same text was posted before"}},
)
def create_document(
    data: DocumentCreate, session: SessionDep, sender: SenderDep, response: Response
) -> DocumentAccepted:
    """Store a document as queued and send it for processing once committed (200 on a re-post)."""
    document, created = documents.create_document(session, data)
    log.info(
        "document %s %s",
        document.id,
        "queued" if created else "posted again",
        extra={"document_id": document.id},
    )
    if created:
        after_commit(session, lambda: sender.send(PROCESS_DOCUMENT, document.id))
    else:
        response.status_code = status.HTTP_200_OK
    return DocumentAccepted(id=document.id, status=document.status)


@router.get("/{document_id}", dependencies=[ReaderDep])
def read_document(document_id: PathId, session: SessionDep) -> DocumentRead:
    """A document's status, error and reactions."""
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


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminDep])
def delete_document(document_id: PathId, session: SessionDep, sender: SenderDep) -> Response:
    """Delete a document and its reactions; its events' summaries and its speakers follow."""
    if documents.get_document(session, document_id) is None:
        raise NotFoundError(f"document {document_id} not found")
    corrections.delete_document(session, document_id=document_id, sender=sender)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
