"""Audit entries for logins, logouts, lockouts and every data change of the portal's models."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save

from portal.audit import log_action
from portal.audit_actions import ACTION_LOCKED_OUT, ACTION_LOGIN, ACTION_LOGOUT, data_action
from portal.middleware import LOGIN_AT_KEY
from portal.models import AuditResult
from portal.request_context import client_ip


def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = time.time()
    log_action(None, ACTION_LOGIN, user=user, ip_address=client_ip(request))


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    log_action(
        None,
        ACTION_LOGIN,
        user=None,
        username=str(credentials.get("username", ""))[:150],
        ip_address=client_ip(request),
        result=AuditResult.FAILED,
    )


def _logged_out(sender, request, user, **kwargs) -> None:
    log_action(None, ACTION_LOGOUT, user=user, ip_address=client_ip(request))


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log_action(
        None,
        ACTION_LOCKED_OUT,
        user=None,
        username=str(username or "")[:150],
        ip_address=ip_address,
        result=AuditResult.REFUSED,
    )


def _audited(model) -> bool:
    meta = model._meta
    if meta.apps is not global_apps:
        return False  # a historical model saved by a data migration: not a user's change
    return meta.app_label in settings.AUDITED_APPS and (
        meta.label_lower not in settings.AUDIT_EXEMPT_MODELS
    )


def _saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not _audited(sender):
        return
    data = {"fields": sorted(update_fields)} if update_fields else {}
    step = "created" if created else "changed"
    log_action(instance, data_action(sender._meta.label_lower, step), data=data)


def _deleted(sender, instance, **kwargs) -> None:
    if _audited(sender):
        log_action(instance, data_action(sender._meta.label_lower, "deleted"))


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="portal.audit.login")
    user_login_failed.connect(_login_failed, dispatch_uid="portal.audit.login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="portal.audit.logout")
    user_locked_out.connect(_locked_out, dispatch_uid="portal.audit.locked_out")
    post_save.connect(_saved, dispatch_uid="portal.audit.saved")
    post_delete.connect(_deleted, dispatch_uid="portal.audit.deleted")
