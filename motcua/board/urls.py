"""Board pages: `/board/<center>/`, one floor at `/board/<center>/<floor>/`, feed and voice."""

from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("loa/chuong.wav", views.chime, name="chime"),
    path("<slug:center_code>/", views.board, name="board"),
    path("<slug:center_code>/feed/", views.feed, name="feed"),
    path("<slug:center_code>/loa/<int:event_id>.wav", views.audio, name="audio"),
    path("<slug:center_code>/<slug:floor_code>/", views.board, name="floor"),
]
