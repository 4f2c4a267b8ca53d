"""The error body every endpoint answers with, as models (`APIStatusError.error`)."""

from __future__ import annotations

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

__all__ = ["ErrorDetail", "FieldError"]


class FieldError(SoundStreamModel):
    """One invalid input field."""

    field: str = Field(
        description="The field's name (a dotted path inside a body, e.g. `name` or `tags[1]`).",
    )
    """The field's name (a dotted path inside a body, e.g. `name` or `tags[1]`)."""

    location: str = Field(description="Where the field is: `path`, `query` or `body`.")
    """Where the field is: `path`, `query` or `body`."""

    reason: str = Field(description="Why the value is not accepted.")
    """Why the value is not accepted."""


class ErrorDetail(SoundStreamModel):
    """What went wrong."""

    status: int = Field(
        description="The HTTP status code, repeated for clients that only see the body.",
    )
    """The HTTP status code, repeated for clients that only see the body."""

    code: str = Field(
        description=(
            "A stable, machine-readable code: `not_found`, `validation_failed`, `conflict`, "
            "`payload_too_large`, `unsupported_media_type`, `rate_limited`, `internal`..."
        ),
    )
    """A stable, machine-readable code: `not_found`, `validation_failed`, `conflict`,
    `payload_too_large`, `unsupported_media_type`, `rate_limited`, `internal`...
    """

    message: str = Field(description="A human-readable explanation.")
    """A human-readable explanation."""

    fields: list[FieldError] = Field(
        description="For `validation_failed`: every invalid field and why. Empty otherwise.",
    )
    """For `validation_failed`: every invalid field and why. Empty otherwise."""
