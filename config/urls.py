from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("MotCua – Quản trị")
admin.site.site_title = "MotCua"
admin.site.index_title = _("Quản trị hệ thống Một cửa")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("motcua.api.urls")),
    path("kiosk/", include("motcua.kiosk.urls")),
    path("console/", include("motcua.console.urls")),
    path("board/", include("motcua.board.urls")),
    path("", include("motcua.portal.urls")),
]
# No public /media/ route, not even in DEBUG: uploaded files are scans and results of dossiers
# (personal data), served only by views that check scope or the citizen's ID number.
