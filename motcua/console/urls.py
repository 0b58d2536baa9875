from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import actions, dashboards, dossier_logbook, report_drill, report_exports, report_registers, today, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page=reverse_lazy("console:login")), name="logout"),
    path("chon-quay/", views.choose, name="choose"),
    path("hom-nay/", today.today, name="today"),
    path("bao-cao/", dashboards.dossiers, name="reports_dossiers"),
    path("bao-cao/hang-doi/", dashboards.queues, name="reports_queues"),
    path("bao-cao/chi-so-766/", dashboards.indicators, name="reports_indicators"),
    path("bao-cao/bo-tri-quay/", dashboards.staffing, name="reports_staffing"),
    path("bao-cao/ho-so-chi-tiet/", report_drill.drill, name="reports_drill"),
    path("bao-cao/dinh-ky/", report_registers.upward, name="reports_upward"),
    path("bao-cao/van-ban-xin-loi/", report_registers.apologies, name="reports_apologies"),
    path("bao-cao/tep/<uuid:pk>/", report_exports.export_status, name="reports_export"),
    path("bao-cao/tep/<uuid:pk>/tai-ve/", report_exports.export_download, name="reports_export_download"),
    path("quay/<int:pk>/", views.counter_screen, name="counter"),
    path("quay/<int:pk>/trang-thai.json", views.counter_status, name="status"),
    path("quay/<int:pk>/<slug:action>/", actions.counter_action, name="action"),
    path("ho-so/so-theo-doi.xlsx", dossier_logbook.logbook_export, name="dossier_logbook"),
    # Dossiers (issue 4): intake at a counter, and the agencies' work lists.
    path("", include("motcua.console.dossier_intake_urls")),
    path("", include("motcua.console.dossier_work_urls")),
]
