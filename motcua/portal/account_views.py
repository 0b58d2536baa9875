"""Citizen account pages under /tai-khoan/: register, log in and out, reset a forgotten password,
the account page, and assisted registration by reception staff at the center.

Citizen pages refuse staff accounts (with a page that says so), and staff pages refuse citizen
accounts: one person, one kind of account, so nothing a citizen does happens under an
officer's name or the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.backends import client_ip
from motcua.identity.models import CitizenProfile
from motcua.identity.selectors import citizen_profile_of, may_assist_registration
from motcua.identity.services.accounts import CitizenAccountError, citizen_register, terms_version

from .account_forms import (
    AssistedRegisterForm,
    CitizenLoginForm,
    CitizenPasswordResetForm,
    CitizenRegisterForm,
    CitizenSetPasswordForm,
    phone_reset_message,
)

BACKEND = "motcua.accounts.backends.ThrottledModelBackend"
LOGIN_URL = reverse_lazy("portal:account_login")
STAFF_LOGIN_URL = reverse_lazy("console:login")
_ASSISTED_SESSION_KEY = "motcua_assisted_registered"


def _url_or_none(name: str) -> str | None:
    """Pages other parts of the portal add (my dossiers, online submission) may not exist yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def staff_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/staff_refused.html", {"nav": "account"}, status=403)


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as a citizen: the anonymous go to the citizen login, staff get a clear refusal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), str(LOGIN_URL))
        if citizen_profile_of(request.user) is None:
            return staff_refused(request)
        return view(request, *args, **kwargs)

    return wrapper


# --- register, log in, log out -----------------------------------------------------------------


def _register_kwargs(form: CitizenRegisterForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "full_name": data["full_name"], "national_id": data["national_id"], "birth_date": data["birth_date"],
        "phone": data["phone"], "email": data["email"], "password": data["password1"],
        "terms_version": terms_version(),
    }  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:account_home") if citizen_profile_of(request.user) else staff_refused(request)
    form = CitizenRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_register(**_register_kwargs(form), ip=client_ip(request))
        except CitizenAccountError as error:
            form.add_service_error(error)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Đăng ký thành công. Chào mừng bạn đến với Cổng dịch vụ công."))
            return redirect("portal:account_home")
    return render(request, "portal/account/register.html", {"form": form, "nav": "account"})


class LoginView(auth_views.LoginView):
    """Django's login (the session key is rotated), with phone or e-mail in the first box."""

    template_name = "portal/account/login.html"
    authentication_form = CitizenLoginForm
    next_page = "portal:account_home"
    extra_context = {"nav": "account"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and citizen_profile_of(request.user) is not None:
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    next_page = "portal:account_login"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Bạn đã đăng xuất. Hẹn gặp lại."))
        return response


# --- the account page and the terms ------------------------------------------------------------


@require_safe
@never_cache
@citizen_required
def account_home(request: HttpRequest) -> HttpResponse:
    profile: CitizenProfile = request.user.citizen  # type: ignore[union-attr]
    return render(request, "portal/account/home.html", {
        "nav": "account",
        "profile": profile,
        "masked_id": mask_national_id(profile.national_id),
        "phone_display": phone_display(profile.phone),
        "my_dossiers_url": _url_or_none("portal:my_dossiers"),
    })  # fmt: skip


def mask_national_id(number: str) -> str:
    """Enough for the owner to recognise the number; not enough for someone looking over a shoulder."""
    return number[:3] + "•" * max(0, len(number) - 6) + number[-3:]


def phone_display(phone: str) -> str:
    """0901234567 as people write it: 0901 234 567 (landlines 0292 3 800 800 stay as stored)."""
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}" if len(phone) == 10 else phone


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/terms.html", {"nav": "account", "version": terms_version()})


# --- forgotten password (Django's reset by e-mail) -------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/account/password_reset.html"
    form_class = CitizenPasswordResetForm
    email_template_name = "portal/account/password_reset_email.txt"
    subject_template_name = "portal/account/password_reset_subject.txt"
    success_url = reverse_lazy("portal:account_password_reset_done")
    extra_context = {"nav": "account"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"phone_note": phone_reset_message()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/account/password_reset_done.html"
    extra_context = {"nav": "account"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/account/password_reset_confirm.html"
    form_class = CitizenSetPasswordForm
    success_url = reverse_lazy("portal:account_password_reset_complete")
    extra_context = {"nav": "account"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/account/password_reset_complete.html"
    extra_context = {"nav": "account"}


# --- assisted registration at the center -----------------------------------------------------


def _staff_gate(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), str(STAFF_LOGIN_URL))
    if not may_assist_registration(request.user):
        message = _("Chỉ cán bộ tiếp nhận của Trung tâm mới được hỗ trợ công dân đăng ký tài khoản.")
        return render(request, "portal/account/assisted_refused.html", {"message": message}, status=403)
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def assisted_register(request: HttpRequest) -> HttpResponse:
    if (refused := _staff_gate(request)) is not None:
        return refused
    form = AssistedRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_register(**_register_kwargs(form), registered_by=request.user, ip=client_ip(request))
        except CitizenAccountError as error:
            form.add_service_error(error)
        else:
            request.session[_ASSISTED_SESSION_KEY] = user.citizen.pk
            return redirect("portal:account_assisted_done")
    return render(request, "portal/account/assisted.html", {"form": form, "nav": "account"})


@require_safe
@never_cache
def assisted_done(request: HttpRequest) -> HttpResponse:
    if (refused := _staff_gate(request)) is not None:
        return refused
    # Only the account this officer just registered, from their own session (no id in the URL).
    pk = request.session.get(_ASSISTED_SESSION_KEY)
    officer = request.user.pk
    profile = CitizenProfile.objects.filter(pk=pk, registered_by_id=officer).first() if pk else None
    if profile is None:
        return redirect("portal:account_assisted")
    return render(request, "portal/account/assisted_done.html", {
        "profile": profile, "masked_id": mask_national_id(profile.national_id), "nav": "account",
        "phone_display": phone_display(profile.phone),
    })  # fmt: skip
