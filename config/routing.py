"""WebSocket routes, gathered from the audience apps that push."""

from motcua.board.routing import websocket_urlpatterns as board_routes

websocket_urlpatterns: list = [*board_routes]
