"""Pieces every package's services share: the refusal a form can show next to its field."""

from __future__ import annotations


class ServiceError(ValueError):
    """A refused change, with a message for the user (and the form field it belongs to)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
