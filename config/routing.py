"""WebSocket routes. The queue issue adds the board and console consumers here."""

websocket_urlpatterns: list = []
