"""WebSocket routes of the boards."""

from django.urls import path

from .consumers import BoardConsumer

websocket_urlpatterns: list = [
    path("ws/board/<slug:center_code>/", BoardConsumer.as_asgi()),
    path("ws/board/<slug:center_code>/<slug:floor_code>/", BoardConsumer.as_asgi()),
]
