"""Forms of the counter console: the login and the one form every counter action posts."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.accounts.forms import LoginLockoutMixin


class ConsoleLoginForm(LoginLockoutMixin, AuthenticationForm):
    """Django's login form; the throttling backend refuses locked pairs and this form says so."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CounterActionForm(forms.Form):
    """What a counter button posts. `ticket` is the ticket the screen showed at the desk (empty
    when none): an action is refused when it no longer matches, so a double click or a stale
    second tab never finishes or skips a citizen the officer has not seen."""

    ticket = forms.IntegerField(required=False, min_value=1)
    recycle = forms.BooleanField(required=False)
    queue = forms.IntegerField(required=False, min_value=1)
    priority = forms.IntegerField(required=False, min_value=1)
    code = forms.CharField(required=False, max_length=16, strip=True, label=_("Số cần gọi"))
