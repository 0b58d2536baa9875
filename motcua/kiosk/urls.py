
app_name = "kiosk"
urlpatterns: list = []
