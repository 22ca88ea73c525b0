"""Reminders of branch life: relation flags, development steps due and members who paid no dues
for the 自行脱党 months, to the branch's editors.

Both go through the deadline-reminder rows (``planning.plan_person_reminder``), so the same
beat pass claims them, the same code sends them (portal notification and email, quiet hours
respected) and the same keys keep them from going out twice. Keys:

* ``relation:<case id>:<flag>:<YYYY-MM>`` — a flag that persists is told again at most once a
  calendar month, on the first run of the month that finds it;
* ``development:<case id>:<step id>`` — a step is told once, when it first falls due within
  the month of the run (``development_due``); recording it ends the matter;
* ``dues:<person id>:<YYYY-MM>`` — a member who paid no dues for the months of the 自行脱党
  rule and has no open relation case (``lapsed_dues``), told at most once a calendar month.

Planned by a daily job at 08:30 Shanghai time; a missed day is caught up by the next run, and a
second run of the day plans nothing new.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from branches.models import Person, RoleKind
from branches.services.development import development_due
from branches.services.life_rules import rule_values
from branches.services.relations import due_flags
from branches.services.self_departure import lapsed_dues
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.planning import plan_person_reminder

#: Who hears about a branch's relation flags and development steps.
RECIPIENT_ROLES = (RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY, RoleKind.ORGANISATION_MEMBER)
#: Local time of the planned messages: after the quiet hours, with the daily digests.
SEND_TIME = time(8, 30)


def _recipients(branch_ids: set[int]) -> dict[int, list[Person]]:
    """The active secretary, deputy and organisation member of each branch (two queries)."""
    pairs = sorted(
        set(
            Person.objects.active()
            .filter(roles__organisation_id__in=branch_ids, roles__kind__in=RECIPIENT_ROLES)
            .values_list("roles__organisation_id", "pk")
        )
    )
    people = Person.objects.in_bulk({pk for _branch, pk in pairs})
    found: dict[int, list[Person]] = {pk: [] for pk in branch_ids}
    for branch_id, pk in pairs:
        found[branch_id].append(people[pk])
    return found


def plan_branch_life_reminders(today: date, now: datetime | None = None) -> int:
    """Plan today's relation-flag and development-step reminders; returns the rows created.

    Safe to run any number of times a day: every message has its key (see the module doc).
    """
    # The texts are stored with the rows: written in the portal's language, like the emails.
    with override(settings.LANGUAGE_CODE):
        return _plan(today, now or timezone.now())


def _plan(today: date, now: datetime) -> int:
    due_at = max(now, datetime.combine(today, SEND_TIME, tzinfo=DEADLINE_TZ))
    month = today.strftime("%Y-%m")
    flagged = due_flags(today)
    steps = development_due(today)
    lapsed = [row.person for row in lapsed_dues(today) if row.person.branch_id is not None]
    recipients = _recipients(
        {case.branch_id for case, _f in flagged}
        | {r.case.branch_id for r in steps}
        | {p.branch_id for p in lapsed}
    )
    created = 0
    for case, flags in flagged:
        link = reverse("branches:branch_relation_case", args=[case.pk])
        for flag in flags:
            title = _("Membership relation: %(name)s") % {"name": case.person.name}
            for person in recipients[case.branch_id]:
                created += plan_person_reminder(
                    person,
                    key=f"relation:{case.pk}:{flag.code}:{month}",
                    title=title,
                    body=flag.message,
                    link=link,
                    due_at=due_at,
                )
    for member in lapsed:
        link = reverse("branches:organisation_detail", args=[member.branch_id])
        title = _("Party dues: %(name)s") % {"name": member.name}
        body = _(
            "No Party dues paid for %(months)s months without a proper reason: the general "
            "meeting may treat it as leaving the Party (自行脱党)."
        ) % {"months": rule_values()["self_departure_months"]}
        for person in recipients[member.branch_id]:
            created += plan_person_reminder(
                person,
                key=f"dues:{member.pk}:{month}",
                title=title,
                body=body,
                link=link,
                due_at=due_at,
            )
    for row in steps:
        link = reverse("branches:branch_development_case", args=[row.case.pk])
        title = _("Party member development: %(name)s") % {"name": row.case.person.name}
        if row.due_on < today:
            body = _("The step “%(step)s” was due on %(date)s.")
        else:
            body = _("The step “%(step)s” is due on %(date)s.")
        body = body % {"step": row.step.name, "date": row.due_on.isoformat()}
        for person in recipients[row.case.branch_id]:
            created += plan_person_reminder(
                person,
                key=f"development:{row.case.pk}:{row.step.pk}",
                title=title,
                body=body,
                link=link,
                due_at=due_at,
            )
    return created
