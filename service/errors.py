"""The API's error handlers (and its transport errors): every error, 5xx included, answers
`{"detail": ...}`; the hierarchy itself is `usecases/errors.py`."""

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from store.outages import BROKER_ERRORS, is_infrastructure_error
from usecases.errors import AppError

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
# Handled inside the app (not re-raised): outages are expected, so they log no traceback.
STORE_ERRORS = (sa_exc.DBAPIError, sa_exc.TimeoutError, psycopg.Error, *BROKER_ERRORS)


class UnauthorizedError(AppError):
    """The bearer token is missing or wrong."""

    status_code = 401


class InternalError(AppError):
    """A bug: the client learns only that the server failed; the traceback goes to the log."""

    status_code = 500


class ServiceUnavailableError(AppError):
    """The database or the broker cannot be reached right now; the client should retry."""

    status_code = 503


def install_error_handlers(app: FastAPI) -> None:
    """Map AppError subclasses, validation errors, outages (503) and bugs (500) to JSON."""

    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return error_response(exc)

    async def handle_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": describe_validation_errors(exc)}, status_code=422)

    async def handle_store(request: Request, exc: Exception) -> JSONResponse:
        error = unexpected_error(request, exc)
        if error.status_code == 500:
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(error)

    async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return error_response(unexpected_error(request, exc))

    app.add_exception_handler(AppError, handle)
    app.add_exception_handler(RequestValidationError, handle_invalid)
    for store_error in STORE_ERRORS:
        app.add_exception_handler(store_error, handle_store)
    # Starlette's outermost middleware runs this for any other exception, then re-raises it
    # (so the server logs the traceback).
    app.add_exception_handler(Exception, handle_unexpected)


def unexpected_error(request: Request, exc: Exception) -> AppError:
    """An outage of the database or broker becomes a 503 to retry; anything else a logged 500."""
    if is_infrastructure_error(exc):
        log.warning("%s %s: outage: %s", request.method, request.url.path, exc)
        return ServiceUnavailableError(
            f"the database or broker is unavailable ({type(exc).__name__}); retry shortly"
        )
    return InternalError("internal server error")


def error_response(exc: AppError) -> JSONResponse:
    """The JSON answer of an AppError, with the headers its status calls for."""
    headers: dict[str, str] = {}
    if isinstance(exc, UnauthorizedError):
        headers["WWW-Authenticate"] = "Bearer"
    if exc.status_code == 503:
        headers["Retry-After"] = str(RETRY_AFTER_S)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)


def describe_validation_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Field location, message and type of each error, without echoing the (maybe huge) input."""
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
