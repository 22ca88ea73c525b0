"""Daily digests once assignments are overdue: to liaison members and to the party office.

A digest is a reminder row of its own kind, keyed by recipient and day, so it goes out at most
once a day however many beats run; it is planned by the beat pass from 08:30 Shanghai time and
its content is read when it is sent, so it is never out of date. Each person may switch
digests off (``tasks.preferences.set_digests_enabled``); deadline reminders cannot be switched off.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation, Person, Role, RoleKind
from tasks.models import (
    DIGEST_KINDS,
    Assignment,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.batch import Batch
from tasks.reminders.delivery import absolute, cancel, notify_person
from tasks.reminders.emails import digest_title, send_digest_email
from tasks.reminders.lease import Lease
from tasks.reminders.policy import current_policy, hold_until_allowed

#: Local time of the digests: after the quiet hours, before the 09:00 deadline reminders.
DIGEST_TIME = time(8, 30)


def overdue_assignments(day: date):
    return Assignment.objects.open().overdue(day)


def _opted_out() -> Q:
    return Q(
        pk__in=NotificationPreference.objects.filter(digests_enabled=False).values("person_id")
    )


def _reachable(people):
    """Active people with a login or an email address: anyone else could not be told."""
    return people.active().filter(Q(user__isnull=False) | ~Q(email="")).exclude(_opted_out())


def digest_recipients(day: date) -> dict[str, list[int]]:
    """Person ids per digest kind for ``day`` (two queries, whatever the number of rows)."""
    overdue = overdue_assignments(day)
    liaison = _reachable(
        Person.objects.filter(liaison_organisations__in=overdue.values("branch_id"))
    )
    office = _reachable(
        Person.objects.filter(
            roles__kind=RoleKind.OFFICE,
            roles__organisation_id__in=overdue.values("item__area__notice__committee_id"),
        )
    )
    return {
        ReminderKind.LIAISON_DIGEST: sorted(set(liaison.values_list("pk", flat=True))),
        ReminderKind.OFFICE_DIGEST: sorted(set(office.values_list("pk", flat=True))),
    }


def plan_digests(now: datetime | None = None) -> int:
    """Create today's digest rows once it is 08:30 in Shanghai; returns the rows created.

    Planned once a day: a digest summarises the morning's state, and days already missed
    (an outage) are not caught up, so nobody gets several at once.
    """
    now = now or timezone.now()
    local = timezone.localtime(now, DEADLINE_TZ)
    day = local.date()
    send_at = datetime.combine(day, DIGEST_TIME, tzinfo=DEADLINE_TZ)
    if local < send_at:
        return 0
    if Reminder.objects.filter(kind__in=DIGEST_KINDS, slot=day.isoformat()).exists():
        return 0
    due_at = hold_until_allowed(send_at, current_policy())
    rows = [
        Reminder(
            person_id=person_id,
            kind=kind,
            slot=day.isoformat(),
            deadline=day,
            offset=0,
            due_at=due_at,
        )
        for kind, people in digest_recipients(day).items()
        for person_id in people
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _with_days(rows, day: date) -> list[Assignment]:
    # Counted from the digest's day, not from the clock of whoever renders it.
    assignments = list(rows)
    for assignment in assignments:
        assignment.digest_days_overdue = (day - assignment.due_date).days
    return assignments


def liaison_rows(person: Person, day: date) -> list[tuple[Organisation, list[Assignment]]]:
    """The overdue assignments of the person's liaison branches, branch by branch."""
    rows = (
        overdue_assignments(day)
        .filter(branch__in=person.liaison_organisations.all())
        .select_related("item__area__notice", "branch")
        .order_by("branch__path", "item__deadline", "pk")
    )
    grouped: dict[int, tuple[Organisation, list[Assignment]]] = {}
    for assignment in _with_days(rows, day):
        grouped.setdefault(assignment.branch_id, (assignment.branch, []))[1].append(assignment)
    return list(grouped.values())


def office_rows(person: Person, day: date) -> list[tuple[object, list[Assignment]]]:
    """The laggards of the person's committees, task item by task item."""
    committees = Role.objects.filter(person=person, kind=RoleKind.OFFICE).values("organisation_id")
    rows = (
        overdue_assignments(day)
        .filter(item__area__notice__committee_id__in=committees)
        .select_related("item__area__notice", "branch")
        .order_by("item__deadline", "item__area__number", "item_id", "branch__path")
    )
    grouped: dict[int, tuple[object, list[Assignment]]] = {}
    for assignment in _with_days(rows, day):
        grouped.setdefault(assignment.item_id, (assignment.item, []))[1].append(assignment)
    return list(grouped.values())


def digest_context(reminder: Reminder, day: date) -> dict:
    person = reminder.person
    office = reminder.kind == ReminderKind.OFFICE_DIGEST
    groups = office_rows(person, day) if office else liaison_rows(person, day)
    return {
        "person": person,
        "office": office,
        "day": day,
        "groups": groups,
        "count": sum(len(assignments) for _key, assignments in groups),
        "base_url": absolute(""),
        "settings_url": absolute(reverse("tasks:notification_settings")),
    }


def deliver_digest(reminder: Reminder, now: datetime, lease: Lease, batch: Batch) -> str:
    """Send one digest row (its sender holds ``lease``, within ``batch``); cancelled when
    stale, switched off or nothing is overdue."""
    day = timezone.localtime(now, DEADLINE_TZ).date()
    if reminder.slot != day.isoformat():
        return cancel(reminder, "stale digest of an earlier day", lease=lease)
    if NotificationPreference.objects.filter(
        person_id=reminder.person_id, digests_enabled=False
    ).exists():
        return cancel(reminder, "digests switched off", lease=lease)
    context = digest_context(reminder, day)
    if not context["count"]:
        return cancel(reminder, "nothing overdue any more", lease=lease)
    title = digest_title(context)
    body = _("%(count)s overdue tasks.") % {"count": context["count"]}
    link = reverse("tasks:dashboard_list")
    notify_person(
        reminder,
        reminder.person,
        title=title,
        body=body,
        link=link,
        send_email=lambda address, msgid, mailer: send_digest_email(
            address, context, msgid, mailer=mailer
        ),
        now=now,
        lease=lease,
        batch=batch,
    )
    return ReminderStatus.SENT
