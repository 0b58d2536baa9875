"""Tapping the kiosk's on-screen keypads (`dossier-keys.js`) like a finger would."""

from __future__ import annotations


def tap(page, keys: str) -> None:
    """Tap each key once the pad listens (a module script: it runs after the page is shown)."""
    pad = page.locator("[data-keys][data-ready]")
    for key in keys:
        pad.locator(f'[data-key="{key}"]').click()
