"""The iCalendar text of a person's deadlines (RFC 5545), written by hand: a few lines.

Only what calendar apps need: CRLF line ends, escaped text values, lines folded at 75 octets
without splitting a UTF-8 character, one all-day VEVENT per open assignment (branch
secretaries and their deputies) or per live task item of the committee (office staff and
committee members, who follow deadlines across branches rather than owe work).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import BRANCH_EDITOR_ROLES, RoleKind
from tasks.models import Assignment, TaskItem, local_today

PRODID = "-//Party Branch Work Portal//Deadlines//ZH"


class Event(NamedTuple):
    uid: str
    day: date
    summary: str
    description: str
    url: str


def escape(text: str) -> str:
    """TEXT value escaping: backslash first, then ; , and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting
    with one space (which counts towards their 75)."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def calendar(events: Iterable[Event], *, name: str, now: datetime | None = None) -> str:
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description)}",
            f"URL:{event.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- the feed's data and its secret ---------------------------------------------------------


#: How long a passed item deadline stays in the office's and members' feeds once no branch
#: owes the item any more (while one does, it stays).
ITEM_HISTORY = timedelta(days=90)


def events_for(person) -> list[Event]:
    """The person's deadlines: open assignments of the branches they run, then the live items
    of the committees where they are office staff or committee members (two queries)."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0] or "portal"
    return _assignment_events(person, base, host) + _item_events(person, base, host)


def _assignment_events(person, base: str, host: str) -> list[Event]:
    branches = person.roles.filter(kind__in=BRANCH_EDITOR_ROLES).values("organisation_id")
    rows = (
        Assignment.objects.open()
        .filter(branch_id__in=branches)
        # A calendar event needs a day: items without a fixed deadline stay off the feed.
        .filter(Q(extended_until__isnull=False) | Q(item__deadline__isnull=False))
        .select_related("item__area__notice", "branch")
        .order_by("item__deadline", "pk")
    )
    return [
        Event(
            uid=f"assignment-{a.pk}@{host}",
            day=a.due_date,
            summary=_("Deadline: %(title)s (%(branch)s)")
            % {"title": a.item.title, "branch": a.branch},
            description=f"{a.item.area.notice.title} · {a.item.display_label} {a.item.title}",
            url=base + reverse("tasks:assignment_detail", args=[a.pk]),
        )
        for a in rows
    ]


def _item_events(person, base: str, host: str) -> list[Event]:
    roles = dict(
        person.roles.filter(kind__in=[RoleKind.OFFICE, RoleKind.COMMITTEE_MEMBER]).values_list(
            "organisation_id", "kind"
        )
    )
    if not roles:
        return []
    owed = Assignment.objects.open().filter(item=OuterRef("pk"))
    items = (
        TaskItem.objects.live()
        .filter(area__notice__committee_id__in=list(roles))
        .filter(deadline__isnull=False)
        .filter(Q(deadline__gte=local_today() - ITEM_HISTORY) | Exists(owed))
        .select_related("area__notice")
        .order_by("deadline", "pk")
    )
    events = []
    for item in items:
        notice = item.area.notice
        # The office follows the whole committee; a member his liaison branches.
        office = roles[notice.committee_id] == RoleKind.OFFICE
        page = "tasks:notice_dashboard" if office else "tasks:liaison_dashboard"
        events.append(
            Event(
                uid=f"item-{item.pk}@{host}",
                day=item.deadline,
                summary=_("Branches' deadline: %(title)s") % {"title": item.title},
                description=f"{notice.title} · {item.display_label} {item.title}",
                url=base + reverse(page, args=[notice.pk]),
            )
        )
    return events
