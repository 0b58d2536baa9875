"""Extension point: who is taking the number.

Issue 5 (identity) adds the face check here: reading the citizen ID card and matching the face
at the kiosk's camera, with consent, before the ticket is issued. Until then no identity step
exists and tickets are anonymous.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from motcua.core.models import Center
from motcua.queueing.models import PriorityClass, Queue


def identity_step(
    request: HttpRequest, *, center: Center, queue: Queue, priority: PriorityClass | None
) -> HttpResponse | None:
    """The screen to show before the confirm step, or None to go straight on.

    Issue 5 returns its face-check screen here while the citizen is not yet verified (keeping
    `queue` and `priority` in its form so that nothing chosen is lost), and None once verified.
    """
    return None
