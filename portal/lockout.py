"""Login lockout with two thresholds: per (user name, IP address) pair, and per IP address.

django-axes counts failed logins. Its lockout parameter [["username", "ip_address"]] locks a
pair after settings.AXES_FAILURE_LIMIT failures (LOGIN_FAILURE_LIMIT), so one person typing
wrong passwords locks neither the other people behind the same address (the office's shared
connection) nor the same account from another address. Axes compares every parameter with one
and the same limit, so the second, higher threshold across user names from one address
(settings.LOGIN_IP_FAILURE_LIMIT) is added by a handler subclass, the extension point axes
documents (settings.AXES_HANDLER): it counts the failures of every attempt row from the
address, with the same cool-off window axes uses for the pair.

The office lists and lifts both kinds of lock (branches.views.security).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from portal.audit import log_action
from portal.audit_actions import ACTION_ADDRESS_UNLOCKED, ACTION_LOGIN_UNLOCKED


def _recent_attempts(now=None) -> QuerySet[AccessAttempt]:
    """Attempt rows whose last failure is inside the cool-off window (as axes counts them)."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def address_failures(ip_address: str | None, now=None) -> int:
    if not ip_address:
        return 0
    total = (
        _recent_attempts(now)
        .filter(ip_address=ip_address)
        .aggregate(total=Sum("failures_since_start"))["total"]
    )
    return total or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address threshold."""

    def address_locked(self, request) -> bool:
        failures = address_failures(request.axes_ip_address, request.axes_attempt_time)
        return failures >= settings.LOGIN_IP_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        # Called before the password is checked: a locked address is refused like a locked pair.
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return  # no request to judge, or axes has already locked and signalled
        if self.is_whitelisted(request, credentials) or not self.address_locked(request):
            return
        # The failure that reaches the address threshold answers with the lockout page and is
        # audited like a pair lockout (portal.signals), exactly as axes does for its own limit.
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )


def pair_locks(now=None) -> QuerySet:
    """Locked (user name, address) pairs: dicts with username, ip_address, failures, last."""
    return (
        _recent_attempts(now)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")
    )


def address_locks(now=None) -> QuerySet:
    """Locked addresses: dicts with ip_address, failures, last."""
    return (
        _recent_attempts(now)
        .exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LOGIN_IP_FAILURE_LIMIT)
        .order_by("-last", "ip_address")
    )


def is_pair_locked(username: str, ip_address: str) -> bool:
    return pair_locks().filter(username=username, ip_address=ip_address).exists()


def is_address_locked(ip_address: str) -> bool:
    return address_locks().filter(ip_address=ip_address).exists()


@transaction.atomic
def lift_pair_lock(username: str, ip_address: str) -> None:
    """Forget the pair's failures; the address's other user names keep theirs."""
    # Filtered here rather than with axes.utils.reset, which would widen an empty user name
    # to every attempt from the address.
    AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    log_action(None, ACTION_LOGIN_UNLOCKED, data={"username": username, "ip": ip_address})


@transaction.atomic
def lift_address_lock(ip_address: str) -> None:
    """Forget every failure from the address, which lifts its pair locks too."""
    reset(ip=ip_address)
    log_action(None, ACTION_ADDRESS_UNLOCKED, data={"ip": ip_address})
