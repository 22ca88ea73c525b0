"""The office's security pages: the audit log, and locked logins (pairs and addresses)."""

from __future__ import annotations

from datetime import datetime, time

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import lockouts_in_scope, scope_for, visible_organisations
from branches.models import Person
from portal import lockout
from portal.models import AuditEntry, AuditResult
from portal.validation import SaneDateFormField

AUDIT_PER_PAGE = 50

ACTION_GROUPS = [
    ("", gettext_lazy("All actions")),
    ("auth.", gettext_lazy("Logins and logouts")),
    ("access.", gettext_lazy("Refused access")),
    ("tasks.", gettext_lazy("Workflow steps")),
    ("data.", gettext_lazy("Data changes")),
    ("export.", gettext_lazy("Exports")),
    ("security.", gettext_lazy("Security administration")),
]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTION_GROUPS, required=False)
    user = forms.CharField(label=gettext_lazy("User"), max_length=150, required=False)
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=[("", gettext_lazy("All"))] + list(AuditResult.choices),
        required=False,
    )
    start = SaneDateFormField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = SaneDateFormField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _require_office(request) -> None:
    if not scope_for(request.user).is_office:
        raise Http404


def _entries_in_scope(user):
    """Entries of people in the office's subtree, and those with no user (failed logins)."""
    organisations = visible_organisations(user)
    people = Person.objects.filter(
        Q(branch__in=organisations) | Q(roles__organisation__in=organisations),
        user__isnull=False,
    ).values("user_id")
    return AuditEntry.objects.filter(Q(user__isnull=True) | Q(user_id__in=people))


@login_required
def audit_log(request):
    _require_office(request)
    form = AuditFilterForm(request.GET or None)
    entries = _entries_in_scope(request.user)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("Some filter values were not understood and are ignored."))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("action"):
        entries = entries.filter(action__startswith=data["action"])
    if data.get("user"):
        entries = entries.filter(username__icontains=data["user"])
    if data.get("result"):
        entries = entries.filter(result=data["result"])
    zone = timezone.get_current_timezone()
    if data.get("start"):
        entries = entries.filter(created_at__gte=datetime.combine(data["start"], time.min, zone))
    if data.get("end"):
        entries = entries.filter(created_at__lte=datetime.combine(data["end"], time.max, zone))
    page = Paginator(entries.order_by("-created_at", "-id"), AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "branches/security/audit_log.html", {"form": form, "page": page})


@login_required
def lockouts(request):
    _require_office(request)
    return render(
        request,
        "branches/security/lockouts.html",
        {
            "pair_locks": lockouts_in_scope(request.user, lockout.pair_locks()).annotate(
                attempt=Max("id")
            )[:200],
            "address_locks": lockout.address_locks()[:200],
            "pair_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.LOGIN_IP_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def unlock(request, pk: int):
    """Lifts the lock of the (user name, address) pair that attempt ``pk`` belongs to."""
    _require_office(request)
    attempt = lockouts_in_scope(request.user, AccessAttempt.objects.filter(pk=pk)).first()
    if attempt is None or not lockout.is_pair_locked(attempt.username, attempt.ip_address):
        raise Http404
    lockout.lift_pair_lock(attempt.username, attempt.ip_address)
    messages.success(request, _("The login is unlocked."))
    return redirect("branches:office_lockouts")


@login_required
@require_POST
def unlock_address(request, ip: str):
    _require_office(request)
    if not lockout.is_address_locked(ip):
        raise Http404
    lockout.lift_address_lock(ip)
    messages.success(request, _("The IP address is unlocked."))
    return redirect("branches:office_lockouts")
