"""The checks of DOMAIN.md §4 on a development step, and the probation-extension rule they use.

Each check returns findings; a BLOCK refuses the step, a WARNING is saved with it. Thresholds
come from the step rows (data), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from branches.models import (
    CalendarDay,
    CaseStatus,
    CaseStep,
    DevelopmentCase,
    DevelopmentStep,
    DisciplineKind,
    MeetingType,
    MemberType,
    PartyDiscipline,
    Person,
    PersonStatus,
    Resolution,
    Severity,
    Stage,
    StepCheck,
    VoteOutcome,
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
    findings = []
    if working_days(values.date, values.end_date, overrides) < days:
        findings.append(
            _finding(
                step,
                _("The public notice must last at least %(days)s working days.") % {"days": days},
            )
        )
    # Without the year's holidays Monday to Friday may count a holiday as a working day.
    for year in CalendarDay.objects.years_without_data(values.date, values.end_date):
        findings.append(
            Finding(
                Severity.WARN,
                _(
                    "The public holidays of %(year)s are not known: working days were counted "
                    "Monday to Friday. Ask the office to enter them."
                )
                % {"year": year},
            )
        )
    return findings


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


def _check_contacts(step, values, person, taken):
    low, high = int(step.params.get("min", 1)), int(step.params.get("max", 2))
    people = [p for p in values.people if p.pk != person.pk]
    findings = []
    if not low <= len(people) <= high or len(people) != len(values.people):
        findings.append(
            _finding(
                step,
                _("Name %(min)s or %(max)s full members as cultivation contacts.")
                % {"min": low, "max": high},
            )
        )
    for contact in people:
        if contact.member_type != MemberType.FULL or contact.status != PersonStatus.ACTIVE:
            findings.append(
                _finding(
                    step,
                    _("%(name)s is not a full member and cannot be a cultivation contact.")
                    % {"name": contact.name},
                )
            )
    return findings


def _case_of(person: Person) -> DevelopmentCase | None:
    if person.pk is None:
        return None
    return DevelopmentCase.objects.filter(person_id=person.pk).first()


def _check_not_leaving(step, values, person, taken):
    months = int(step.params.get("months", 3))
    case = _case_of(person)
    leaving = case.expected_leave_on if case else None
    if leaving is not None and leaving <= add_months(values.date, months):
        return [
            _finding(
                step,
                _(
                    "%(name)s is expected to leave on %(date)s, within %(months)s months: "
                    "someone leaving so soon is normally not admitted."
                )
                % {"name": person.name, "date": leaving, "months": months},
            )
        ]
    return []


def vote_resolution(branch, person: Person, day: date) -> Resolution | None:
    """The motion on ``person`` at the branch's general meeting of ``day`` (one candidate at
    a time, so the motion names the candidate)."""
    found = [
        resolution
        for resolution in Resolution.objects.filter(
            meeting__branch=branch, meeting__date=day, text__contains=person.name
        ).select_related("meeting")
        if MeetingType.GENERAL_MEETING in resolution.meeting.counted_types
    ]
    return found[0] if len(found) == 1 else None


def _check_meeting_vote(step, values, person, taken):
    case = _case_of(person)
    resolution = vote_resolution(case.branch, person, values.date) if case else None
    if resolution is None:
        return [
            _finding(
                step,
                _(
                    "No general meeting of %(date)s records a vote on %(name)s: record the "
                    "meeting with its motion first."
                )
                % {"date": values.date, "name": person.name},
            )
        ]
    if resolution.outcome == VoteOutcome.REJECTED:
        return [
            Finding(
                Severity.BLOCK,
                _("The general meeting of %(date)s did not pass the motion on %(name)s.")
                % {"date": values.date, "name": person.name},
            )
        ]
    if resolution.outcome != VoteOutcome.PASSED:
        return [_finding(step, _("The meeting record shows no vote on the motion."))]
    return []


def case_warnings(case: DevelopmentCase, today: date) -> list[str]:
    """Warnings of an open case on ``today``: the six-monthly cultivation review of an
    activist (counted from the contacts' appointment or the last review)."""
    if case.status != CaseStatus.OPEN:
        return []
    taken = {s.step.code: s for s in case.steps.select_related("step")}
    contacts = taken.get("contacts")
    if contacts is None or "candidate" in taken:
        return []
    review = DevelopmentStep.objects.filter(code="cultivation").first()
    months = int(review.params.get("review_months", 6)) if review else 6
    last = max(s.date for code, s in taken.items() if code in ("contacts", "cultivation"))
    if add_months(last, months) <= today:
        return [
            _("The six-monthly cultivation review is due since %(date)s (last on %(last)s).")
            % {"date": add_months(last, months), "last": last}
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
    StepCheck.CONTACTS: _check_contacts,
    StepCheck.NOT_LEAVING: _check_not_leaving,
    StepCheck.MEETING_VOTE: _check_meeting_vote,
}
