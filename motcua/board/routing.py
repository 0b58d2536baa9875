"""WebSocket routes of the boards (and the console's live counts)."""

websocket_urlpatterns: list = []
