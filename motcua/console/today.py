"""The live floor: the center's queues right now and their figures of the day (issue 3, 6).

The page listens to the center's board socket (the same public events the hall's boards get) and
reloads its figures a moment after each one; without a socket it reloads them every 30 seconds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.queueing import kpis
from motcua.queueing.services import business_date_of

from . import selectors
from .views import forbidden

LOGIN_URL = reverse_lazy("console:login")


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def today(request: HttpRequest) -> HttpResponse:
    centers = list(selectors.center_list_for_leader(user=request.user))
    if not centers:
        return forbidden(request, _("Trang số liệu hôm nay dành cho lãnh đạo trung tâm và quản trị hệ thống."))
    wanted = request.GET.get("center", "")
    center = next((c for c in centers if c.code == wanted), centers[0])
    now = timezone.now()
    day = business_date_of(now)
    floor = kpis.floor_now(center=center, business_date=day, now=now)
    by_queue = [(queue, row, floor.oldest_by_queue.get(queue.pk))
                for queue, row in kpis.kpi_by_queue(center=center, business_date=day)]  # fmt: skip
    return render(request, "console/today.html", {
        "centers": centers,
        "center": center,
        "now": now,
        "day": day,
        "floor": floor,
        "total": kpis.kpi_total(center=center, business_date=day),
        "by_queue": by_queue,
        "by_counter": kpis.kpi_by_counter(center=center, business_date=day),
        "by_officer": kpis.kpi_by_officer(center=center, business_date=day),
        "live": selectors.counter_list_live(center=center),
    })  # fmt: skip
