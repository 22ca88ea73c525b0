"""Member development: opening a case, recording its steps, extending the probation and
stopping a case; the pipeline of due steps.

Every step is first checked by ``development_checks`` (DOMAIN.md §4): a BLOCK finding refuses
the step (nothing is saved), WARNING findings are saved with the step and shown on the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit_actions import (
    ACTION_DEVELOPMENT_OPENED,
    ACTION_DEVELOPMENT_PROBATION_EXTENDED,
    ACTION_DEVELOPMENT_STEP_RECORDED,
    ACTION_DEVELOPMENT_STOPPED,
)
from branches.models import (
    CaseStatus,
    CaseStep,
    DevelopmentCase,
    DevelopmentStep,
    MemberType,
    Person,
    Severity,
    StepCheck,
    StepEffect,
)
from branches.services import Refused, add_months
from branches.services.development_checks import (  # noqa: F401  (re-exported)
    CHECKS,
    PROBATION_START,
    Finding,
    extension_for,
    vote_resolution,
)
from portal.audit import log_action


@dataclass
class StepInput:
    date: date
    end_date: date | None = None
    actor: str = ""
    note: str = ""
    people: list[Person] = field(default_factory=list)
    training_days: int | None = None
    training_hours: int | None = None
    has_document: bool = False


def steps() -> list[DevelopmentStep]:
    return list(DevelopmentStep.objects.order_by("order"))


def taken_steps(case: DevelopmentCase | None) -> dict[str, CaseStep]:
    if case is None or case.pk is None:
        return {}
    return {s.step.code: s for s in case.steps.select_related("step")}


def next_step(case: DevelopmentCase) -> DevelopmentStep | None:
    order = case.last_step.order if case.last_step_id else 0
    return DevelopmentStep.objects.filter(order__gt=order).order_by("order").first()


def check_step(
    step: DevelopmentStep, values: StepInput, person: Person, taken: dict[str, CaseStep]
) -> list[Finding]:
    """Every finding for recording ``step`` with ``values`` after the ``taken`` steps."""
    findings: list[Finding] = []
    previous = max(taken.values(), key=lambda s: s.step.order, default=None)
    expected = (
        DevelopmentStep.objects.filter(order__gt=previous.step.order if previous else 0)
        .order_by("order")
        .first()
    )
    if expected is not None and expected.pk != step.pk:
        findings.append(
            Finding(
                Severity.BLOCK,
                _("The next step of this case is “%(step)s”.") % {"step": expected},
            )
        )
        return findings
    if previous is not None and values.date < previous.date:
        findings.append(
            Finding(
                Severity.BLOCK,
                _("The date %(date)s is before the previous step “%(step)s” (%(previous)s).")
                % {"date": values.date, "step": previous.step.name, "previous": previous.date},
            )
        )
    check = CHECKS.get(step.rule)
    if check is not None:
        findings.extend(check(step, values, person, taken))
    return findings


def _refuse_on_blocks(findings: list[Finding]) -> list[str]:
    blocks = [f.message for f in findings if f.blocks]
    if blocks:
        raise Refused(*blocks)
    return [f.message for f in findings]


@transaction.atomic
def open_case(
    branch,
    *,
    values: StepInput,
    user,
    person: Person | None = None,
    name: str = "",
    birth_date: date | None = None,
    gender: str = "",
    document=None,
) -> DevelopmentCase:
    """Open a case with its application step; a new applicant is added to the branch roster."""
    first = DevelopmentStep.objects.order_by("order").first()
    if first is None:
        raise Refused(_("The development steps are not set up; ask the office."))
    if person is None:
        person = Person(
            name=name,
            birth_date=birth_date,
            gender=gender,
            branch=branch,
            member_type=MemberType.NON_MEMBER,
        )
    elif DevelopmentCase.objects.filter(person=person).exists():
        raise Refused(_("%(name)s already has a development case.") % {"name": person.name})
    warnings = _refuse_on_blocks(check_step(first, values, person, {}))
    if person.pk is None:
        person.save()
    case = DevelopmentCase.objects.create(person=person, branch=branch)
    _store_step(case, first, values, warnings, user, document)
    log_action(case, ACTION_DEVELOPMENT_OPENED, user=user, data={"person": person.name})
    return case


@transaction.atomic
def record_step(
    case: DevelopmentCase, step: DevelopmentStep, *, values: StepInput, user, document=None
) -> CaseStep:
    case = (
        DevelopmentCase.objects.select_for_update(of=("self",))
        .select_related("person", "last_step")
        .get(pk=case.pk)
    )
    if case.status == CaseStatus.STOPPED:
        raise Refused(
            _("This case was stopped on %(date)s and takes no more steps.")
            % {"date": case.stopped_on}
        )
    if case.status != CaseStatus.OPEN:
        raise Refused(_("This case is closed."))
    warnings = _refuse_on_blocks(check_step(step, values, case.person, taken_steps(case)))
    taken = _store_step(case, step, values, warnings, user, document)
    log_action(
        case,
        ACTION_DEVELOPMENT_STEP_RECORDED,
        user=user,
        data={"step": step.code, "date": values.date.isoformat(), "warnings": warnings},
    )
    return taken


def _store_step(case, step, values: StepInput, warnings, user, document) -> CaseStep:
    taken = CaseStep.objects.create(
        case=case,
        step=step,
        date=values.date,
        end_date=values.end_date,
        actor=values.actor,
        note=values.note,
        training_days=values.training_days,
        training_hours=values.training_hours,
        warnings=warnings,
        resolution=(
            vote_resolution(case.branch, case.person, values.date)
            if step.rule == StepCheck.MEETING_VOTE
            else None
        ),
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    if values.people:
        taken.people.set(values.people)
    if document is not None:
        taken.document.save(document.name, document, save=False)
        taken.document_name = document.name[:200]
        taken.save(update_fields=["document", "document_name"])
    case.last_step, case.last_step_on = step, values.date
    fields = ["last_step", "last_step_on", "updated_at"]
    if not DevelopmentStep.objects.filter(order__gt=step.order).exists():
        case.status = CaseStatus.COMPLETED
        fields.append("status")
    case.save(update_fields=fields)
    _apply_effect(case, step, taken)
    return taken


def _apply_effect(case: DevelopmentCase, step: DevelopmentStep, taken: CaseStep) -> None:
    person = case.person
    if step.effect == StepEffect.PROBATIONARY:
        meeting = case.steps.filter(step__code="branch_meeting").first()
        person.member_type = MemberType.PROBATIONARY
        # Membership dates from the branch meeting's resolution (发展党员工作细则 art. 34).
        person.joined_on = meeting.date if meeting else taken.date
        person.save(update_fields=["member_type", "joined_on"])
    elif step.effect == StepEffect.FULL:
        person.member_type = MemberType.FULL
        # Party standing counts from the end of the probation (a year from the branch
        # meeting, plus any extension), not from the approval's date.
        meeting = case.steps.filter(step__code=PROBATION_START).first()
        if meeting is not None:
            months = 12 + (case.probation_extension_months or 0)
            person.full_member_on = add_months(meeting.date, months)
        else:
            person.full_member_on = taken.date
        person.save(update_fields=["member_type", "full_member_on"])


# --- the outcome of the probation: extended once by 6 to 12 months, or the case stopped -------
PROBATION_EXTENSION_MONTHS = (6, 12)


def in_probation(case: DevelopmentCase) -> bool:
    """An open case whose person has become a probationary member and not yet a full one."""
    if case.status != CaseStatus.OPEN:
        return False
    effects = set(case.steps.values_list("step__effect", flat=True))
    return StepEffect.PROBATIONARY in effects and StepEffect.FULL not in effects


def _locked(case: DevelopmentCase) -> DevelopmentCase:
    return (
        DevelopmentCase.objects.select_for_update(of=("self",))
        .select_related("person", "last_step")
        .get(pk=case.pk)
    )


@transaction.atomic
def extend_probation(case: DevelopmentCase, *, months: int, decided_on: date, user):
    """Extend the probation once by 6 to 12 months; the conversion steps move by as much."""
    low, high = PROBATION_EXTENSION_MONTHS
    if months is None or not low <= months <= high:
        raise Refused(
            _("The probation can be extended by %(low)s to %(high)s months only.")
            % {"low": low, "high": high}
        )
    case = _locked(case)
    if not in_probation(case):
        raise Refused(_("Only the probation of a probationary member can be extended."))
    if case.probation_extension_months:
        raise Refused(
            _("The probation was already extended on %(date)s; it can be extended only once.")
            % {"date": case.probation_extended_on}
        )
    start = case.steps.filter(step__code=PROBATION_START).first()
    if start is not None and decided_on < start.date:
        raise Refused(
            _("The extension cannot be decided before the probation began (%(date)s).")
            % {"date": start.date}
        )
    case.probation_extension_months, case.probation_extended_on = months, decided_on
    case.save(update_fields=["probation_extension_months", "probation_extended_on", "updated_at"])
    log_action(
        case,
        ACTION_DEVELOPMENT_PROBATION_EXTENDED,
        user=user,
        data={"months": months, "decided_on": decided_on.isoformat()},
    )
    return case


@transaction.atomic
def stop_case(case: DevelopmentCase, *, reason: str, stopped_on: date, user):
    """Stop a case for good; a probationary member's probationary membership is cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for stopping the case."))
    case = _locked(case)
    if case.status != CaseStatus.OPEN:
        raise Refused(_("This case is closed."))
    if case.last_step_on and stopped_on < case.last_step_on:
        raise Refused(
            _("The case cannot be stopped before its last step (%(date)s).")
            % {"date": case.last_step_on}
        )
    person = case.person
    cancelled = person.member_type == MemberType.PROBATIONARY
    joined_on = person.joined_on
    if cancelled:
        # No longer a Party member, so no join date; the audit entry and the case's steps
        # keep when the probation began.
        person.member_type, person.joined_on = MemberType.NON_MEMBER, None
        person.save(update_fields=["member_type", "joined_on"])
    case.status, case.stopped_on, case.stop_reason = CaseStatus.STOPPED, stopped_on, reason
    case.save(update_fields=["status", "stopped_on", "stop_reason", "updated_at"])
    log_action(
        case,
        ACTION_DEVELOPMENT_STOPPED,
        user=user,
        data={
            "reason": reason,
            "stopped_on": stopped_on.isoformat(),
            "stage": case.stage,
            "probationary_membership_cancelled": cancelled,
            "joined_on_was": joined_on.isoformat() if cancelled and joined_on else None,
        },
    )
    return case


@dataclass(frozen=True)
class DueStep:
    case: DevelopmentCase
    step: DevelopmentStep
    due_on: date


def due_date(
    case: DevelopmentCase, step: DevelopmentStep, taken: dict[str, CaseStep]
) -> date | None:
    """When ``step`` is normally due: after its reference step by the check's months, else
    ``due_after_days`` after the last step."""
    ref = taken.get(step.params.get("after", ""))
    if ref is not None and step.rule in (StepCheck.AT_LEAST,):
        months = int(step.params.get("months", 0)) + extension_for(step, case)
        return add_months(ref.date, months)
    if ref is not None and step.rule in (StepCheck.WITHIN, StepCheck.APPROVAL_WINDOW):
        months = int(step.params.get("months", step.params.get("warn_months", 1)))
        return add_months(ref.date, months)
    if case.last_step_on and step.due_after_days:
        return case.last_step_on + timedelta(days=step.due_after_days)
    return None


def pipeline(cases) -> list[DueStep | tuple]:
    """Open cases with their next step and its normal date (None when no date applies)."""
    ordered = steps()
    rows = []
    for case in cases.open().with_related():
        taken = {s.step.code: s for s in case.steps.all()}
        order = case.last_step.order if case.last_step else 0
        nxt = next((s for s in ordered if s.order > order), None)
        if nxt is None:
            continue
        rows.append(DueStep(case, nxt, due_date(case, nxt, taken) or date.max))
    return sorted(rows, key=lambda r: (r.due_on, r.case.person.name))


def development_due(today: date, cases=None) -> list[DueStep]:
    """Next steps due by the end of ``today``'s month (overdue ones included)."""
    month_end = add_months(today.replace(day=1), 1) - timedelta(days=1)
    cases = cases if cases is not None else DevelopmentCase.objects.all()
    return [row for row in pipeline(cases) if row.due_on <= month_end]


def pipeline_snapshot(branch, today: date) -> dict:
    """A plain-data picture of the branch's pipeline, kept with a development report."""
    rows = pipeline(DevelopmentCase.objects.filter(branch=branch))
    return {
        "taken_on": today.isoformat(),
        "cases": [
            {
                "person": row.case.person.name,
                "stage": row.case.get_stage_display(),
                "last_step": str(row.case.last_step) if row.case.last_step else "",
                "last_step_on": row.case.last_step_on.isoformat() if row.case.last_step_on else "",
                "next_step": str(row.step),
                "due_on": row.due_on.isoformat() if row.due_on != date.max else "",
            }
            for row in rows
        ],
    }
