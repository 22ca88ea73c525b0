"""The branches app's own cards on the home pages: development, relation cases, lockouts (the
office) and the branch's meetings and development steps due (its secretary)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import lockouts_in_scope, readable_branches
from branches.home_cards import Card
from branches.models import DevelopmentCase, RelationCase
from branches.services.compliance import compliance_summary
from branches.services.development import development_due
from branches.services.relations import due_flags
from portal import lockout


def office_cards(request, _target) -> list[Card]:
    today = timezone.localdate()
    branches = readable_branches(request.user)
    development = development_due(today, DevelopmentCase.objects.filter(branch__in=branches))
    flagged = due_flags(today, RelationCase.objects.filter(branch__in=branches))
    locked = (
        lockouts_in_scope(request.user, lockout.pair_locks()).count()
        + lockout.address_locks().count()
    )
    return [
        Card(
            key="development",
            title=_("Development steps due this month"),
            count=len(development),
            url=reverse("branches:office_development"),
        ),
        Card(
            key="relations",
            title=_("Relation cases with flags"),
            count=len(flagged),
            url=reverse("branches:office_relations") + "?flagged=1",
        ),
        Card(
            key="lockouts",
            title=_("Locked logins"),
            count=locked,
            url=reverse("branches:office_lockouts"),
        ),
    ]


def branch_cards(request, branch) -> list[Card]:
    """This period's meetings still short of the 三会一课 minimum, and development steps due."""
    today = timezone.localdate()
    summary = compliance_summary(branch, today.year, today=today)
    open_periods = [
        (rule["label"], period)
        for rule in summary["rules"]
        for period in rule["periods"]
        if period["state"] == "open"
    ]
    development = development_due(today, DevelopmentCase.objects.filter(branch=branch))
    return [
        Card(
            key="meetings",
            title=_("Meetings due by the rules"),
            count=len(open_periods),
            url=reverse("branches:branch_compliance", args=[branch.pk]),
            rows=[
                (
                    f"{label} · {period['label']}",
                    "",
                    _("%(held)s held, by %(end)s")
                    % {"held": period["count"], "end": period["end"].strftime("%Y-%m-%d")},
                )
                for label, period in open_periods
            ],
        ),
        Card(
            key="development",
            title=_("Development steps due this month"),
            count=len(development),
            url=reverse("branches:branch_development", args=[branch.pk]),
            rows=[
                (str(row.case.person.name), "", f"{row.step} · {row.due_on:%Y-%m-%d}")
                for row in development[:5]
            ],
        ),
    ]
