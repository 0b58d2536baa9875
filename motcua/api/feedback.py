"""The feedback API (/api/v1/feedback/…): ratings from kiosks and counter tablets (issue 6)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["feedback"])
