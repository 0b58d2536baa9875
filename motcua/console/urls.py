
app_name = "console"
urlpatterns: list = []  # the console helper fills these in
