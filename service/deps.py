"""Request dependencies: the request-scoped session, the task sender and the token checks."""

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from config import Settings
from service.errors import UnauthorizedError
from store.db import session_scope
from taskqueue import TaskSender

_bearer = HTTPBearer(auto_error=False)


async def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the handler returns, then deferred jobs sent.

    `SessionDep` runs this with `scope="function"`, so the commit (and a failure of it, which
    answers 503 or 500) happens before the response is sent: no write is acknowledged
    before it is durable.
    """
    with session_scope(request.app.state.session_factory) as session:
        yield session


async def get_sender(request: Request) -> TaskSender:
    """The task sender of this process."""
    sender: TaskSender = request.app.state.sender
    return sender


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SenderDep = Annotated[TaskSender, Depends(get_sender)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _check_token(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise 401 unless the bearer token equals the admin token (constant-time)."""
    if settings.admin_token is None:
        raise UnauthorizedError("writes are disabled: set REACTIONS_ADMIN_TOKEN")
    if credentials is None:
        raise UnauthorizedError("Authorization: Bearer <token> header required")
    if not hmac.compare_digest(credentials.credentials.encode(), settings.admin_token.encode()):
        raise UnauthorizedError("invalid token")


async def require_admin(settings: SettingsDep, credentials: Credentials) -> None:
    """Writes need the admin token."""
    _check_token(settings, credentials)


async def require_reader(settings: SettingsDep, credentials: Credentials) -> None:
    """Reads are open unless PUBLIC_READS is false."""
    if not settings.public_reads:
        _check_token(settings, credentials)


AdminDep = Depends(require_admin)
ReaderDep = Depends(require_reader)
