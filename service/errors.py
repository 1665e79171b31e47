"""One error hierarchy and its handler: every error answers `{"detail": message}`."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class AppError(Exception):
    """An error with the HTTP status it maps to and a message for the client."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(AppError):
    """The addressed resource does not exist."""

    status_code = 404


class UnauthorizedError(AppError):
    """The bearer token is missing or wrong."""

    status_code = 401


class ConflictError(AppError):
    """The action does not fit the resource's current state."""

    status_code = 409


class InvalidInputError(AppError):
    """A parameter is malformed; the message names it."""

    status_code = 422


def install_error_handlers(app: FastAPI) -> None:
    """Map AppError subclasses and validation errors to JSON responses."""

    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, UnauthorizedError) else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)

    async def handle_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": describe_validation_errors(exc)}, status_code=422)

    app.add_exception_handler(AppError, handle)
    app.add_exception_handler(RequestValidationError, handle_invalid)


def describe_validation_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Field location, message and type of each error, without echoing the (maybe huge) input."""
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
