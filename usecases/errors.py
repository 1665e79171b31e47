"""The error hierarchy of what the service does: each error carries the HTTP status it maps to
(the API's handlers in `service/errors.py` answer it as `{"detail": message}`)."""


class AppError(Exception):
    """An error with the HTTP status it maps to and a message for the client."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(AppError):
    """The addressed resource does not exist."""

    status_code = 404


class ConflictError(AppError):
    """The action does not fit the resource's current state."""

    status_code = 409


class InvalidInputError(AppError):
    """A parameter is malformed; the message names it."""

    status_code = 422
