
app_name = "board"
urlpatterns: list = []  # the board helper fills these in
