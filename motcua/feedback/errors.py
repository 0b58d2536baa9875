"""Refusals of the feedback services: a stable code for programs, a translated message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class FeedbackRefused(Exception):
    """A rating or assessment that may not be given (not served, too late, already given…)."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
