"""Optional two-factor login with a TOTP app (django-otp), required for some roles in production.

After the password, a user with a confirmed device must type the app's code before anything
else; a user whose role requires it (office staff and administrators, decided by
settings.TWO_FACTOR_REQUIRED_FOR) and has no device yet is sent to set one up.

Turning it on also makes ten one-time recovery codes (django-otp's static device), shown once;
each is accepted once in place of the app's code, so a lost phone does not lock its owner out
until the office steps in. The owner can make a new set, which voids the old one.
"""

from __future__ import annotations

import base64
import re

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import log_action
from portal.audit_actions import (
    ACTION_RECOVERY_CODE_USED,
    ACTION_RECOVERY_CODES_GENERATED,
    ACTION_TWO_FACTOR_ENROLLED,
    ACTION_TWO_FACTOR_VERIFIED,
)
from portal.models import AuditResult

#: Session key remembering, for the session's life, which second-factor page the user owes
#: ("" for none): the device lookup then costs one query per login, not one per page.
OWED_KEY = "_portal_two_factor_owed"
#: Pages a half-logged-in user may still open.
EXEMPT_URL_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz")
RECOVERY_CODE_COUNT = 10
#: The app's codes are six digits. Recovery codes (StaticToken.random_token()) are eight
#: lowercase base32 characters, never six digits; VerifyForm forgives capitals, spaces and
#: dashes, as people copy them from paper.
APP_CODE = re.compile(r"\d{6}")


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Six-digit code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Type the six digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from the app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean_token(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["token"]).lower()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """A fresh set of one-time codes; the previous set, used or not, stops working."""
    device = recovery_device(user) or StaticDevice.objects.create(
        user=user, name="recovery", confirmed=True
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _unused in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log_action(None, ACTION_RECOVERY_CODES_GENERATED, user=user)
    return codes


@transaction.atomic
def use_recovery_code(user, code: str) -> StaticDevice | None:
    """The device whose code ``code`` was, now spent; None when no unused code matches."""
    device = recovery_device(user)
    if device is None:
        return None
    # Locked so that two requests racing with the same code cannot both spend it.
    device = StaticDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(code):
        return None
    log_action(
        None,
        ACTION_RECOVERY_CODE_USED,
        user=user,
        data={"left": device.token_set.count()},
    )
    return device


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
    return reverse("branches:home")


@login_required
def verify(request):
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        token = form.cleaned_data["token"]
        if APP_CODE.fullmatch(token):
            used = device if device.verify_token(token) else None
        else:
            used = use_recovery_code(request.user, token)
        if used is not None:
            otp_login(request, used)
            request.session.pop(OWED_KEY, None)
            log_action(None, ACTION_TWO_FACTOR_VERIFIED)
            if used is not device:
                _warn_codes_left(request)
            return redirect(_next_url(request))
        log_action(None, ACTION_TWO_FACTOR_VERIFIED, result=AuditResult.FAILED)
        form.add_error("token", _("The code is wrong or has expired; wait for the next one."))
    return render(request, "registration/two_factor_verify.html", {"form": form})


def _warn_codes_left(request) -> None:
    left = recovery_codes_left(request.user)
    messages.warning(
        request,
        ngettext(
            "You logged in with a recovery code; %(count)d is left. "
            "Make new ones under Two-factor login if your phone is lost.",
            "You logged in with a recovery code; %(count)d are left. "
            "Make new ones under Two-factor login if your phone is lost.",
            left,
        )
        % {"count": left},
    )


def _show_codes(request, codes: list[str], next_url: str, replaced: bool = False):
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next_url": next_url, "replaced": replaced},
    )


@never_cache  # the page may show the recovery codes, which must not stay in a cache
@login_required
def setup(request):
    if confirmed_device(request.user) is not None:
        return render(
            request,
            "registration/two_factor_setup.html",
            {"enrolled": True, "codes_left": recovery_codes_left(request.user)},
        )
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
            log_action(None, ACTION_TWO_FACTOR_ENROLLED)
            messages.success(request, _("Two-factor login is on."))
            return _show_codes(request, new_recovery_codes(request.user), _next_url(request))
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


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    """Replaces the user's recovery codes with a new set, shown once."""
    if confirmed_device(request.user) is None:
        return redirect("two_factor_setup")
    codes = new_recovery_codes(request.user)
    return _show_codes(request, codes, reverse("two_factor_setup"), replaced=True)
