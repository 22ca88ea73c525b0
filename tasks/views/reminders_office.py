"""The office's side of reminders: failed sends and delivery figures across the committee, and
"urge all missing"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from branches.access import editable_organisations
from tasks.access import get_item_for_office, require_office, reviewable_assignments
from tasks.models import DeliveryChannel, DeliveryStatus, Reminder, ReminderDelivery
from tasks.reminders.urge import held_message
from tasks.services import urge_all_missing

PER_PAGE = 25
#: The delivery figures on the failed list cover this many days.
FIGURES_DAYS = 30


def _in_scope(user) -> Q:
    """Reminders of the office's branches, and digests and branch-life reminders of its
    people."""
    people_in_scope = Q(
        assignment__isnull=True,
        person__roles__organisation__in=editable_organisations(user),
    )
    return Q(assignment__in=reviewable_assignments(user)) | people_in_scope


def failed_in_scope(user):
    """Failed reminders of the office's branches, and failed digests of its people."""
    return Reminder.objects.failed().filter(_in_scope(user)).distinct()


def delivery_figures(user, now=None) -> dict[str, int]:
    """Emails of the last FIGURES_DAYS days in the office's scope: sent, and of those the ones
    possibly sent twice (resent after an attempt interrupted between the SMTP call and its
    record; same Message-ID, so most mail systems show one)."""
    since = (now or timezone.now()) - timedelta(days=FIGURES_DAYS)
    reminders = Reminder.objects.filter(_in_scope(user)).values("pk")
    return ReminderDelivery.objects.filter(
        reminder__in=reminders,
        channel=DeliveryChannel.EMAIL,
        status=DeliveryStatus.SENT,
        sent_at__gte=since,
    ).aggregate(
        sent=Count("pk"),
        possibly_duplicated=Count("pk", filter=Q(possibly_duplicated=True)),
    )


@login_required
def failed_reminders(request):
    """So that an SMTP failure is never lost silently: every failed send, newest first."""
    require_office(request.user)
    rows = (
        failed_in_scope(request.user)
        .select_related("assignment__item__area__notice", "assignment__branch", "person")
        .prefetch_related("deliveries__person")
        .order_by("-due_at", "-id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/reminders/failed.html",
        {"page": page, "figures": delivery_figures(request.user), "days": FIGURES_DAYS},
    )


@login_required
@require_POST
def item_urge_all(request, pk: int):
    """催办 to every branch whose assignment of this item is not submitted or approved."""
    item = get_item_for_office(request.user, pk)
    result = urge_all_missing(item, request.user, reviewable_assignments(request.user))
    if result.urged:
        text = ngettext(
            "Urged %(count)s branch; the reminders are on their way.",
            "Urged %(count)s branches; the reminders are on their way.",
            result.urged,
        ) % {"count": result.urged}
        messages.success(request, " ".join(filter(None, [text, held_message()])))
    else:
        messages.info(request, _("No branch left to urge today for this task."))
    if result.already:
        messages.info(
            request,
            ngettext(
                "%(count)s branch was already urged today.",
                "%(count)s branches were already urged today.",
                result.already,
            )
            % {"count": result.already},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("tasks:review_list")
