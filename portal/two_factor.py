"""Optional two-factor login with a TOTP app (django-otp), required for some roles in production.

After the password, a user with a confirmed device must type the app's code before anything
else; a user whose role requires it (office staff and administrators, decided by
settings.TWO_FACTOR_REQUIRED_FOR) and has no device yet is sent to set one up.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import log_action
from portal.models import AuditResult

#: Session key remembering, for the session's life, which second-factor page the user owes
#: ("" for none): the device lookup then costs one query per login, not one per page.
OWED_KEY = "_portal_two_factor_owed"
#: Pages a half-logged-in user may still open.
EXEMPT_URL_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Type the six digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def two_factor_required(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return bool(import_string(settings.TWO_FACTOR_REQUIRED_FOR)(user))


class TwoFactorMiddleware:
    """Keeps a user who owes a second factor on the verify or set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def exempt_paths(self) -> tuple[str, ...]:
        return tuple(reverse(name) for name in EXEMPT_URL_NAMES) + (settings.STATIC_URL,)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            owed = request.session.get(OWED_KEY)
            if owed is None:
                owed = request.session[OWED_KEY] = self._target(user) or ""
            if owed and not request.path.startswith(self.exempt_paths):
                return redirect(f"{reverse(owed)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _target(user) -> str | None:
        if confirmed_device(user) is not None:
            return "two_factor_verify"
        if two_factor_required(user):
            return "two_factor_setup"
        return None


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


@login_required
def verify(request):
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            request.session.pop(OWED_KEY, None)
            log_action(None, "auth.two_factor.verified")
            return redirect(_next_url(request))
        log_action(None, "auth.two_factor.verified", result=AuditResult.FAILED)
        form.add_error("token", _("The code is wrong or has expired; wait for the next one."))
    return render(request, "registration/two_factor_verify.html", {"form": form})


@login_required
def setup(request):
    if confirmed_device(request.user) is not None:
        return render(request, "registration/two_factor_setup.html", {"enrolled": True})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "TOTP"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.pop(OWED_KEY, None)
            log_action(None, "auth.two_factor.enrolled")
            messages.success(request, _("Two-factor login is on."))
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired; wait for the next one."))
    qr_svg = segno.make(device.config_url, micro=False).svg_data_uri(scale=5)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "required": two_factor_required(request.user),
        },
    )
