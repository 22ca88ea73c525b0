"""The tasks app's cards on the home pages (registered into branches.home_cards)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from branches.access import liaison_branches
from branches.home_cards import Card
from tasks.access import liaison_notices, office_notices, reviewable_assignments
from tasks.forms import DUE_SOON_DAYS
from tasks.models import Assignment, AssignmentStatus, Notice

#: Rows listed under a card's number: enough to start on, the list behind the link has the rest.
CARD_ROWS = 5


def _url(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def _notice_label(notice: Notice) -> str:
    return _("%(year)s No. %(number)s") % {"year": notice.year, "number": notice.issue_number}


def _live_state(assignments, notices) -> list[tuple[Notice, dict]]:
    """(notice, counts) of each published notice with assignments: two queries in all."""
    states = {row["notice"]: row for row in assignments.state_by_notice()}
    listed = notices.published().filter(pk__in=list(states)).order_by("-date", "-pk")
    return [(notice, states[notice.pk]) for notice in listed]


def office_cards(request, _target) -> list[Card]:
    user = request.user
    assignments = reviewable_assignments(user)
    waiting = assignments.submitted()
    queue = waiting.select_related("branch", "item__area").order_by("submitted_at", "pk")
    cards = [
        Card(
            key="review",
            title=_("Submissions awaiting review"),
            count=waiting.count(),
            url=_url("tasks:review_list", status=AssignmentStatus.SUBMITTED, order="waiting"),
            rows=[
                (
                    f"{a.branch.name} · {a.item.display_label}",
                    reverse("tasks:assignment_detail", args=[a.pk]),
                    a.submitted_at.strftime("%Y-%m-%d") if a.submitted_at else "",
                )
                for a in queue[:CARD_ROWS]
            ],
        )
    ]
    for notice, state in _live_state(assignments, office_notices(user)):
        cards.append(
            Card(
                key=f"overdue-{notice.pk}",
                title=_("Overdue · notice %(notice)s") % {"notice": _notice_label(notice)},
                count=state["overdue"],
                url=_url("tasks:notice_dashboard", notice.pk, status="overdue"),
            )
        )
    cards.append(
        Card(
            key="due-soon",
            title=_("Deadlines in the next 7 days"),
            count=assignments.due_within(DUE_SOON_DAYS).count(),
            url=_url("tasks:review_list", status="", due=DUE_SOON_DAYS),
        )
    )
    return cards


def committee_cards(request, _target) -> list[Card]:
    """The state of the member's liaison branches per live notice of his committees."""
    user = request.user
    assignments = Assignment.objects.live().filter(branch__in=liaison_branches(user))
    cards = []
    for notice, state in _live_state(assignments, liaison_notices(user)):
        cards.append(
            Card(
                key=f"liaison-{notice.pk}",
                title=_("My branches · notice %(notice)s") % {"notice": _notice_label(notice)},
                count=state["overdue"],
                url=_url("tasks:liaison_dashboard", notice.pk, status="overdue"),
                rows=[
                    (_("overdue"), "", str(state["overdue"])),
                    (_("returned"), "", str(state["returned"])),
                    (_("awaiting review"), "", str(state["submitted"])),
                    (_("approved"), "", f"{state['approved']} / {state['total']}"),
                ],
            )
        )
    return cards
