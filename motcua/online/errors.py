"""Refusals of online submission: a stable code for programs, a plain Vietnamese message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class OnlineError(Exception):
    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
