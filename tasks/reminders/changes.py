"""Change messages: telling people that their work changed, through the reminder rows.

Each event (a submission returned or approved, an extension, a notice published, an item
changed or withdrawn, a new comment) plans one row of kind "change" per person concerned,
inside the transaction of the step that caused it, with the words stored on the row (like the
branch-life reminders). The every-minute beat pass claims them and ``tasks.send_reminder``
sends them: portal notification always, email unless the person opted out of that kind of
change (``NotificationPreference.muted_change_emails``), both held past quiet hours. The slot
"<change kind>:<event key>" is unique per person, so a repeated call plans nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from branches.models import Person, RoleKind
from tasks.models import (
    OPEN_STATUSES,
    Assignment,
    ChangeKind,
    Reminder,
    ReminderKind,
    TaskItem,
)
from tasks.reminders.policy import current_policy, hold_until_allowed

#: Who hears of changes to a branch's work (the roles of the deadline reminders).
BRANCH_ROLES = (RoleKind.SECRETARY, RoleKind.ORGANISATION_MEMBER)
#: Rows per INSERT when a notice reaches many branches.
BATCH = 1000


def _reachable(people):
    """Active people with a login or an email address: anyone else could not be told."""
    return people.active().filter(Q(user__isnull=False) | ~Q(email=""))


def branch_people(branch_ids: Iterable[int], roles=BRANCH_ROLES) -> dict[int, list[int]]:
    """Person ids per branch holding one of ``roles`` (one query, whatever the branches)."""
    ids = set(branch_ids)
    found: dict[int, list[int]] = {pk: [] for pk in ids}
    pairs = (
        _reachable(Person.objects.filter(roles__organisation_id__in=ids, roles__kind__in=roles))
        .values_list("roles__organisation_id", "pk")
        .distinct()
        .order_by("pk")
    )
    for branch_id, person_id in pairs:
        found[branch_id].append(person_id)
    return found


def office_people(committee_id: int) -> list[int]:
    """Person ids of the party office of a committee (one query)."""
    people = Person.objects.filter(roles__organisation_id=committee_id, roles__kind=RoleKind.OFFICE)
    return sorted(set(_reachable(people).values_list("pk", flat=True)))


def plan_change(
    kind: str,
    key: str,
    messages: Mapping[int, tuple[str, str, str]],
    *,
    now: datetime | None = None,
) -> int:
    """One change row per person: ``messages`` maps a person id to (title, body, link).

    Due now, or at the end of quiet hours. Inserted in batches and skipping rows that exist
    (the unique key of person, kind and slot), so planning the same event again adds nothing.
    Returns the number of rows asked for.
    """
    now = now or timezone.now()
    due_at = hold_until_allowed(now, current_policy())
    slot = f"{kind}:{key}"[:100]
    rows = [
        Reminder(
            assignment=None,
            person_id=person_id,
            kind=ReminderKind.CHANGE,
            slot=slot,
            title=title[:200],
            body=body[:500],
            link=link[:300],
            deadline=timezone.localtime(due_at).date(),
            offset=0,
            due_at=due_at,
        )
        for person_id, (title, body, link) in messages.items()
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


def tell_branch(
    assignment: Assignment, kind: str, key: str, body: str, *, exclude: int | None = None
) -> int:
    """Tell the branch's secretary and organisation member of a change to one assignment."""
    people = branch_people([assignment.branch_id])[assignment.branch_id]
    link = reverse("tasks:assignment_detail", args=[assignment.pk])
    with override(settings.LANGUAGE_CODE):
        title = _("%(change)s: %(item)s") % {
            "change": ChangeKind(kind).label,
            "item": str(assignment.item),
        }
    message = (title, body, link)
    return plan_change(kind, key, {p: message for p in people if p != exclude})


def tell_office(assignment: Assignment, kind: str, key: str, body: str, *, exclude=None) -> int:
    """Tell the party office of the notice's committee (a comment from the branch)."""
    people = office_people(assignment.item.area.notice.committee_id)
    link = reverse("tasks:assignment_detail", args=[assignment.pk])
    with override(settings.LANGUAGE_CODE):
        title = _("%(change)s: %(item)s · %(branch)s") % {
            "change": ChangeKind(kind).label,
            "item": str(assignment.item),
            "branch": assignment.branch,
        }
    return plan_change(kind, key, {p: (title, body, link) for p in people if p != exclude})


def tell_item_branches(item: TaskItem, kind: str, key: str, body: str) -> int:
    """Tell every branch that still owes ``item``: each person gets one row, linking to his
    branch's assignment, or to its to-do list once the item is withdrawn (the assignment page
    is gone then). Two queries and the inserts, whatever the number of branches."""
    assignments = dict(
        Assignment.objects.filter(item=item, status__in=OPEN_STATUSES).values_list(
            "branch_id", "pk"
        )
    )
    people = branch_people(assignments)
    with override(settings.LANGUAGE_CODE):
        title = _("%(change)s: %(item)s") % {
            "change": ChangeKind(kind).label,
            "item": str(item),
        }
    messages: dict[int, tuple[str, str, str]] = {}
    for branch_id, person_ids in people.items():
        if item.withdrawn_at is None:
            link = reverse("tasks:assignment_detail", args=[assignments[branch_id]])
        else:
            link = reverse("tasks:todo_list", args=[branch_id])
        for person_id in person_ids:
            messages.setdefault(person_id, (title, body, link))
    return plan_change(kind, key, messages)


def tell_notice_published(notice, branch_ids: Iterable[int]) -> int:
    """Tell the secretary of every branch the notice reached: one row per person, however
    many branches (one query for the people, batched inserts)."""
    people = branch_people(branch_ids, roles=(RoleKind.SECRETARY,))
    with override(settings.LANGUAGE_CODE):
        title = _("%(change)s: %(notice)s") % {
            "change": ChangeKind.PUBLISHED.label,
            "notice": notice,
        }
        body = _("New tasks for your branch; see the to-do list.")
    messages: dict[int, tuple[str, str, str]] = {}
    for branch_id, person_ids in sorted(people.items()):
        link = reverse("tasks:todo_list", args=[branch_id])
        for person_id in person_ids:
            messages.setdefault(person_id, (title, body, link))
    return plan_change(ChangeKind.PUBLISHED, str(notice.pk), messages)
