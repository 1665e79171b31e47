"""Documents: push one for processing, read its status and reactions."""

import logging

from fastapi import APIRouter, Response, status

from schemas.documents import DocumentAccepted, DocumentCreate, DocumentRead
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.pagination import PathId
from usecases import documents

router = APIRouter(prefix="/v1/documents", tags=["documents"])
log = logging.getLogger(__name__)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[AdminDep],
    responses={200: {"model": DocumentAccepted, "description": "the same text was posted before"}},
)
def create_document(
    data: DocumentCreate, *, session: SessionDep, sender: SenderDep, response: Response
) -> DocumentAccepted:
    """Store a document as queued and send it for processing once committed (200 on a re-post)."""
    document, created = documents.store_document(session, data, sender=sender)
    log.info(
        "document %s %s",
        document.id,
        "queued" if created else "posted again",
        extra={"document_id": document.id},
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return DocumentAccepted(id=document.id, status=document.status)


@router.get("/{document_id}", dependencies=[ReaderDep])
def read_document(document_id: PathId, session: SessionDep) -> DocumentRead:
    """A document's status, error and reactions."""
    return documents.read_document(session, document_id)


@router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminDep])
def delete_document(document_id: PathId, *, session: SessionDep, sender: SenderDep) -> Response:
    """Delete a document and its reactions; its events' summaries and its speakers follow."""
    documents.delete_document(session, document_id, sender=sender)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
