"""One-time tokens for the "Lấy số" form: a double tap issues one ticket, never two.

The confirm screen puts a fresh token in the form and in the kiosk's session. The first POST
with it takes a claim in the cache (`cache.add`, atomic), issues, and leaves the outcome there;
a twin POST (the second tap, which the browser shows instead of the first) waits for that
outcome and shows the same slip or the same refusal. The session forgets a used token, so a
late repeat (back button, reload) cannot issue again even where the cache is per process.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

SESSION_KEY = "kiosk_issue_forms"
_PREFIX = "kiosk:issue-form:"
_KEEP = 10  # tokens per session: a few confirm screens may be open in history
_OUTCOME_SECONDS = 15 * 60
_TWIN_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Outcome:
    ticket_token: str = ""  # the ticket issued for this form
    refusal: str = ""  # or the refusal shown for it


@dataclass(frozen=True)
class Claim:
    fresh: bool  # this request issues
    outcome: Outcome | None = None  # a twin request already decided


def form_token_new(request: HttpRequest) -> str:
    token = secrets.token_urlsafe(16)
    tokens = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*tokens[-(_KEEP - 1) :], token]
    return token


def _stored(token: str) -> Outcome | None:
    value = cache.get(_PREFIX + token)
    return Outcome(**value) if isinstance(value, dict) else None


def _wait_for_twin(token: str) -> Outcome | None:
    deadline = time.monotonic() + _TWIN_WAIT_SECONDS
    while time.monotonic() < deadline:
        outcome = _stored(token)
        if outcome is not None:
            return outcome
        time.sleep(0.05)
    return None


def form_token_claim(request: HttpRequest, token: str) -> Claim:
    """May this POST issue? Not fresh: show `outcome` (or, when None, the confirm screen again)."""
    if outcome := _stored(token):
        return Claim(fresh=False, outcome=outcome)
    if not token or token not in request.session.get(SESSION_KEY, []):
        return Claim(fresh=False)
    if cache.add(_PREFIX + token, "issuing", timeout=_OUTCOME_SECONDS):
        return Claim(fresh=True)
    return Claim(fresh=False, outcome=_wait_for_twin(token))


def form_token_done(request: HttpRequest, token: str, outcome: Outcome) -> None:
    cache.set(_PREFIX + token, {"ticket_token": outcome.ticket_token, "refusal": outcome.refusal}, _OUTCOME_SECONDS)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
