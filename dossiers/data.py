"""Everything the dossier of one branch and one year shows, read in a fixed number of queries.

Each part is one queryset of the app that owns it, with its related rows joined or prefetched,
so the number of queries does not grow with the number of meetings, cases or submissions
(``tests/dossiers/test_queries.py`` pins it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q

from branches.models import (
    CaseStatus,
    CaseStep,
    DevelopmentCase,
    MeetingAttendance,
    MeetingRecord,
    Organisation,
    OrgKind,
    Person,
    RelationCase,
    Role,
)
from branches.services.compliance import compliance_summary
from ratings.models import StarDecision, StarSelfAssessment
from surveys.sheets.base import SheetKind
from tasks.kinds import all_kinds
from tasks.models import Assignment, local_today


@dataclass
class FormSheet:
    """One branch form (attachment) handed in for an assignment: its kind, header and rows."""

    kind: SheetKind
    sheet: Any
    rows: list


@dataclass
class DossierData:
    branch: Organisation
    year: int
    today: date
    ancestors: list[Organisation] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    liaison: list[Person] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    compliance: dict = field(default_factory=dict)
    meetings: list[MeetingRecord] = field(default_factory=list)
    development: list[DevelopmentCase] = field(default_factory=list)
    relations: list[RelationCase] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    forms: dict[int, FormSheet] = field(default_factory=dict)
    self_assessments: list[StarSelfAssessment] = field(default_factory=list)
    decisions: list[StarDecision] = field(default_factory=list)

    @property
    def committee(self) -> Organisation | None:
        found = [org for org in self.ancestors if org.kind == OrgKind.COMMITTEE]
        return found[-1] if found else None

    @property
    def general_branch(self) -> Organisation | None:
        found = [org for org in self.ancestors if org.kind == OrgKind.GENERAL_BRANCH]
        return found[-1] if found else None


def load(branch: Organisation, year: int, today: date | None = None) -> DossierData:
    today = today or local_today()
    data = DossierData(branch=branch, year=year, today=today)
    data.ancestors = list(Organisation.objects.get_ancestors(branch))
    data.roles = list(
        Role.objects.filter(organisation=branch).select_related("person").order_by("kind", "id")
    )
    data.liaison = list(branch.liaison_members.all())
    data.people = list(
        Person.objects.filter(branch=branch).active().members().order_by("member_type", "name")
    )
    data.compliance = compliance_summary(branch, year, today=today)
    data.meetings = _meetings(branch, year)
    data.development = _development(branch, year)
    data.relations = _relations(branch, year)
    data.assignments = _assignments(branch, year)
    data.forms = _forms(data.assignments)
    data.self_assessments = list(
        StarSelfAssessment.objects.of_year(year)
        .for_branches([branch])
        .select_related("assignment__item__area__notice", "indicator_set")
        .prefetch_related("answers__indicator")
    )
    data.decisions = list(
        StarDecision.objects.published()
        .of_year(year)
        .for_branches([branch])
        .select_related("round")
    )
    return data


def _meetings(branch, year: int) -> list[MeetingRecord]:
    attendance = MeetingAttendance.objects.select_related("person")
    return list(
        MeetingRecord.objects.for_branch(branch)
        .in_year(year)
        .order_by("date", "start_time", "id")
        .prefetch_related(
            Prefetch("attendance", queryset=attendance),
            "resolutions",
            "follow_ups",
            "appraisal_results__person",
        )
    )


def _development(branch, year: int) -> list[DevelopmentCase]:
    """The cases with a step in the year, and those still open."""
    steps = CaseStep.objects.select_related("step").prefetch_related("people")
    ids = (
        DevelopmentCase.objects.filter(branch=branch)
        .filter(Q(steps__date__year=year) | Q(status=CaseStatus.OPEN))
        .values("id")
    )
    return list(
        DevelopmentCase.objects.filter(id__in=ids)
        .select_related("person", "last_step")
        .prefetch_related(Prefetch("steps", queryset=steps.order_by("step__order")))
        .order_by("person__name", "id")
    )


def _relations(branch, year: int) -> list[RelationCase]:
    """The cases open at some time in the year."""
    return list(
        RelationCase.objects.for_branches([branch])
        .filter(opened_on__year__lte=year)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__year__gte=year))
        .select_related("person")
        .prefetch_related("attempts")
        .order_by("opened_on", "id")
    )


def _assignments(branch, year: int) -> list[Assignment]:
    return list(
        Assignment.objects.for_branch(branch)
        .live()
        .filter(item__area__notice__year=year)
        .select_related("item__area__notice")
        .prefetch_related("files")
        .order_by(
            "item__area__notice__date",
            "item__area__notice__issue_number",
            "item__area__number",
            "item__label",
            "item_id",
        )
    )


def _forms(assignments: list[Assignment]) -> dict[int, FormSheet]:
    """The attachment forms of the assignments: one query (and one for rows) per form kind."""
    found: dict[int, FormSheet] = {}
    for kind in all_kinds():
        if not isinstance(kind, SheetKind):
            continue
        ids = [a.pk for a in assignments if a.item.kind == kind.key]
        if not ids:
            continue
        for sheet in kind.sheet_model.objects.filter(assignment_id__in=ids).prefetch_related(
            "rows"
        ):
            found[sheet.assignment_id] = FormSheet(kind, sheet, list(sheet.rows.all()))
    return found
