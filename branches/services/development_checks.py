"""The checks of DOMAIN.md §4 on a development step, and the probation-extension rule they use.

Each check returns findings; a BLOCK refuses the step, a WARNING is saved with it. Thresholds
come from the step rows (data), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from branches.models import (
    CalendarDay,
    CaseStep,
    DevelopmentCase,
    DevelopmentStep,
    DisciplineKind,
    MemberType,
    PartyDiscipline,
    Person,
    PersonStatus,
    Severity,
    Stage,
    StepCheck,
)
from branches.services import add_months, working_days


@dataclass(frozen=True)
class Finding:
    severity: str
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


#: The step whose date starts the probation; steps of the full-member stage counted from it
#: move by the extension.
PROBATION_START = "branch_meeting"


def _moves_with_extension(step: DevelopmentStep) -> bool:
    return step.stage == Stage.FULL and step.params.get("after") == PROBATION_START


def extension_for(step: DevelopmentStep, case: DevelopmentCase | None) -> int:
    """Months by which ``step`` of ``case`` moves because the probation was extended."""
    if case is None or not case.probation_extension_months or not _moves_with_extension(step):
        return 0
    return case.probation_extension_months


def _person_extension(step: DevelopmentStep, person: Person) -> int:
    if person.pk is None or not _moves_with_extension(step):
        return 0
    case = DevelopmentCase.objects.filter(person_id=person.pk).first()
    return extension_for(step, case)


def _finding(step: DevelopmentStep, message: str) -> Finding:
    return Finding(step.severity, message)


def _reference(step: DevelopmentStep, taken: dict[str, CaseStep]) -> CaseStep | None:
    return taken.get(step.params.get("after", ""))


def _check_min_age(step, values, person, taken):
    years = int(step.params.get("years", 18))
    if person.birth_date is None:
        return [
            _finding(
                step,
                _("Enter the date of birth: an applicant must be at least %(years)s.")
                % {"years": years},
            )
        ]
    if add_months(person.birth_date, 12 * years) > values.date:
        return [
            _finding(
                step,
                _("The applicant is under %(years)s on %(date)s (born %(born)s).")
                % {"years": years, "date": values.date, "born": person.birth_date},
            )
        ]
    return []


def _check_within(step, values, person, taken):
    ref = _reference(step, taken)
    months = int(step.params.get("months", 1))
    if ref and values.date > add_months(ref.date, months):
        return [
            _finding(
                step,
                _("“%(step)s” should follow “%(ref)s” (%(ref_date)s) within %(months)s month(s).")
                % {"step": step.name, "ref": ref.step.name, "ref_date": ref.date, "months": months},
            )
        ]
    return []


def _check_at_least(step, values, person, taken):
    ref = _reference(step, taken)
    months = int(step.params.get("months", 12)) + _person_extension(step, person)
    if ref and values.date < add_months(ref.date, months):
        return [
            _finding(
                step,
                _(
                    "“%(step)s” may come at the earliest %(months)s month(s) after “%(ref)s” "
                    "(%(ref_date)s), that is on %(earliest)s."
                )
                % {
                    "step": step.name,
                    "months": months,
                    "ref": ref.step.name,
                    "ref_date": ref.date,
                    "earliest": add_months(ref.date, months),
                },
            )
        ]
    return []


def _check_introducers(step, values, person, taken):
    count = int(step.params.get("count", 2))
    people = [p for p in values.people if p.pk != person.pk]
    findings = []
    if len(people) != count or len(values.people) != count:
        findings.append(_finding(step, _("Name exactly %(count)s introducers.") % {"count": count}))
    on_probation = set(
        PartyDiscipline.objects.filter(
            person__in=people, kind=DisciplineKind.PROBATION, start__lte=values.date
        )
        .exclude(end__lt=values.date)
        .values_list("person_id", flat=True)
    )
    for introducer in people:
        if introducer.member_type != MemberType.FULL or introducer.status != PersonStatus.ACTIVE:
            findings.append(
                _finding(
                    step,
                    _("%(name)s is not a full member and cannot introduce.")
                    % {"name": introducer.name},
                )
            )
        elif introducer.pk in on_probation:
            findings.append(
                _finding(
                    step,
                    _("%(name)s is on probation within the Party and cannot introduce.")
                    % {"name": introducer.name},
                )
            )
    return findings


def _check_review(step, values, person, taken):
    if not values.note.strip() and not values.has_document:
        return [_finding(step, _("Write the conclusion of the political review or attach it."))]
    return []


def _check_training(step, values, person, taken):
    days, hours = int(step.params.get("days", 3)), int(step.params.get("hours", 24))
    if (values.training_days or 0) >= days or (values.training_hours or 0) >= hours:
        return []
    return [
        _finding(
            step,
            _("The training must last at least %(days)s days or %(hours)s class hours.")
            % {"days": days, "hours": hours},
        )
    ]


def _check_working_days(step, values, person, taken):
    days = int(step.params.get("days", 5))
    if values.end_date is None:
        return [_finding(step, _("Enter the last day of the public notice."))]
    overrides = CalendarDay.objects.overrides(values.date, values.end_date)
    if working_days(values.date, values.end_date, overrides) < days:
        return [
            _finding(
                step,
                _("The public notice must last at least %(days)s working days.") % {"days": days},
            )
        ]
    return []


def _check_approval_window(step, values, person, taken):
    ref = _reference(step, taken)
    if ref is None:
        return []
    warn, block = int(step.params.get("warn_months", 3)), int(step.params.get("block_months", 6))
    if values.date > add_months(ref.date, block):
        return [
            Finding(
                Severity.BLOCK,
                _(
                    "Approval more than %(months)s months after the branch meeting (%(date)s) "
                    "is not allowed."
                )
                % {"months": block, "date": ref.date},
            )
        ]
    if values.date > add_months(ref.date, warn):
        return [
            Finding(
                Severity.WARN,
                _("Approval should come within %(months)s months of the branch meeting (%(date)s).")
                % {"months": warn, "date": ref.date},
            )
        ]
    return []


CHECKS = {
    StepCheck.MIN_AGE: _check_min_age,
    StepCheck.WITHIN: _check_within,
    StepCheck.AT_LEAST: _check_at_least,
    StepCheck.INTRODUCERS: _check_introducers,
    StepCheck.REVIEW: _check_review,
    StepCheck.TRAINING: _check_training,
    StepCheck.WORKING_DAYS: _check_working_days,
    StepCheck.APPROVAL_WINDOW: _check_approval_window,
}
