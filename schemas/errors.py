"""The error body every 4xx answer has, so the OpenAPI schema describes what clients get."""

from pydantic import BaseModel


class ValidationIssue(BaseModel):
    """One invalid field: where it is, what is wrong, and pydantic's error type."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """`{"detail": ...}`: a message naming the field, or the list of invalid fields."""

    detail: str | list[ValidationIssue]


ERROR_BODY_REF = {"$ref": "#/components/schemas/ErrorBody"}
# Declared once for every API router: FastAPI then documents no HTTPValidationError of its own.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    "4XX": {"model": ErrorBody, "description": "invalid request (the message names the field)"},
}
