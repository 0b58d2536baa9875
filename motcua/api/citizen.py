"""The citizen API (/api/v1/citizen/…): the portal's actions for a mobile app, with token auth."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["citizen"])
