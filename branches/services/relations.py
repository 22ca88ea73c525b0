"""Membership-relation cases: writes, and the automatic flags computed for a given ``today``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit_actions import (
    ACTION_RELATION_ATTEMPT_ADDED,
    ACTION_RELATION_CHANGED,
    ACTION_RELATION_OPENED,
)
from branches.models import (
    DISPOSITION_DATES,
    Disposition,
    RelationCase,
    RelationKind,
    RelationRule,
    SearchAttempt,
)
from branches.services import Refused, add_months
from branches.services.life_rules import rule_values
from branches.services.self_departure import UNPAID, dues_statuses
from portal.audit import log_action

DEFAULT_MONTHS = {"no_contact": 6, "struck_off": 24, "abroad_contact": 6, "letter_validity": 3}

CASE_FIELDS = (
    "kind",
    "opened_on",
    "last_contact_on",
    "last_life_on",
    "dues_paid_until",
    "letter_number",
    "letter_issued_on",
    "letter_valid_until",
    "destination",
    "receipt_on",
    "disposition",
    "disposition_on",
    "correction_deadline",
    "disposition_meeting_on",
    "disposition_approved_on",
    "handler",
    "note",
    "closed_on",
)


def rule_months() -> dict[str, int]:
    months = dict(DEFAULT_MONTHS)
    months.update(dict(RelationRule.objects.values_list("code", "months")))
    months["self_departure"] = rule_values()["self_departure_months"]
    return months


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def case_flags(
    case: RelationCase,
    today: date,
    months: dict[str, int] | None = None,
    dues: dict[int, str] | None = None,
) -> list[Flag]:
    """The automatic flags of an open case on ``today`` (DOMAIN.md §5). ``dues``: the members'
    dues answers read at once for a list of cases (``cases_with_flags``)."""
    if case.closed_on is not None:
        return []
    months = months or rule_months()
    flags = []
    last_contact = case.last_contact_on or case.opened_on
    if case.kind == RelationKind.ABROAD:
        limit = months["abroad_contact"]
        if add_months(last_contact, limit) <= today:
            flags.append(
                Flag(
                    "abroad_contact",
                    _("Abroad and not contacted for %(months)s months.") % {"months": limit},
                )
            )
    elif case.kind != RelationKind.TRANSFER and case.disposition not in (
        Disposition.STANDING_STOPPED,
        Disposition.STRUCK_OFF,
    ):
        limit = months["no_contact"]
        if add_months(last_contact, limit) <= today:
            flags.append(
                Flag("no_contact", _("No contact for %(months)s months.") % {"months": limit})
            )
    flags.extend(_self_departure_flag(case, today, months.get("self_departure", 6), dues))
    if case.letter_valid_until and case.receipt_on is None and case.letter_valid_until < today:
        flags.append(
            Flag(
                "letter_expired",
                _("Transfer letter expired on %(date)s without a receipt.")
                % {"date": case.letter_valid_until},
            )
        )
    if (
        case.disposition == Disposition.STANDING_STOPPED
        and case.standing_stopped_on
        and add_months(case.standing_stopped_on, months["struck_off"]) <= today
    ):
        flags.append(
            Flag(
                "struck_off_due",
                _("Party standing stopped %(months)s months ago: decide on striking off.")
                % {"months": months["struck_off"]},
            )
        )
    return flags


def _self_departure_flag(
    case: RelationCase, today: date, limit: int, dues: dict[int, str] | None = None
) -> list[Flag]:
    """自行脱党: the case's last organisational life is ``limit`` months old, or the member
    paid no dues in those months (``dues_status``), and the member is neither mobile nor
    abroad with contact within those months (a proper reason)."""
    if case.kind == RelationKind.TRANSFER or case.disposition in (
        Disposition.STANDING_STOPPED,
        Disposition.STRUCK_OFF,
    ):
        return []
    no_life = case.last_life_on is not None and add_months(case.last_life_on, limit) <= today
    if dues is None:
        dues = dues_statuses([case.person], add_months(today, -limit), today)
    no_dues = not no_life and dues.get(case.person_id) == UNPAID
    if not (no_life or no_dues):
        return []
    contacted = case.last_contact_on and add_months(case.last_contact_on, limit) > today
    if case.kind in (RelationKind.MOBILE, RelationKind.ABROAD) and contacted:
        return []
    if no_dues:
        return [
            Flag(
                "self_departure",
                _(
                    "No Party dues paid for %(months)s months without a proper reason: the "
                    "general meeting may treat it as leaving the Party (自行脱党)."
                )
                % {"months": limit},
            )
        ]
    return [
        Flag(
            "self_departure",
            _(
                "No organisational life for %(months)s months without a proper reason: the "
                "general meeting may treat it as leaving the Party (自行脱党)."
            )
            % {"months": limit},
        )
    ]


def cases_with_flags(cases, today: date) -> list[tuple[RelationCase, list[Flag]]]:
    """Each case with its flags, the members' dues read at once (not one read per case)."""
    months = rule_months()
    cases = list(cases)
    limit = months.get("self_departure", 6)
    dues = dues_statuses([case.person for case in cases], add_months(today, -limit), today)
    return [(case, case_flags(case, today, months, dues)) for case in cases]


def due_flags(today: date, cases=None) -> list[tuple[RelationCase, list[Flag]]]:
    """Open cases with at least one flag on ``today``."""
    cases = cases if cases is not None else RelationCase.objects.all()
    flagged = cases_with_flags(cases.open().select_related("person", "branch"), today)
    return [(case, flags) for case, flags in flagged if flags]


def _check_disposition(case: RelationCase) -> None:
    needed = DISPOSITION_DATES.get(case.disposition, ())
    missing = [
        str(RelationCase._meta.get_field(name).verbose_name)
        for name in needed
        if getattr(case, name) is None
    ]
    if missing:
        raise Refused(
            _("The disposition “%(disposition)s” needs these dates: %(fields)s.")
            % {"disposition": case.get_disposition_display(), "fields": "、".join(missing)}
        )
    if case.kind == RelationKind.TRANSFER or case.letter_number:
        if (
            case.letter_issued_on
            and case.letter_valid_until
            and case.letter_valid_until < case.letter_issued_on
        ):
            raise Refused(_("The letter cannot be valid until a date before it was issued."))
    if case.closed_on and case.closed_on < case.opened_on:
        raise Refused(_("A case cannot close before it was opened."))


@transaction.atomic
def save_case(case: RelationCase, *, user) -> RelationCase:
    """Create or change a case; a disposition without its required dates is refused."""
    created = case.pk is None
    _check_disposition(case)
    if case.disposition == Disposition.STANDING_STOPPED and case.standing_stopped_on is None:
        case.standing_stopped_on = case.disposition_approved_on
    if case.letter_issued_on and case.letter_valid_until is None and case.letter_number:
        case.letter_valid_until = add_months(
            case.letter_issued_on, rule_months()["letter_validity"]
        )
    if created:
        case.save()
    else:
        case.save(update_fields=[*CASE_FIELDS, "standing_stopped_on", "updated_at"])
    log_action(
        case,
        ACTION_RELATION_OPENED if created else ACTION_RELATION_CHANGED,
        user=user,
        data={"kind": case.kind, "disposition": case.disposition},
    )
    return case


@transaction.atomic
def add_attempt(
    case: RelationCase, *, day: date, method: str, result: str, reached: bool, user
) -> SearchAttempt:
    attempt = SearchAttempt.objects.create(
        case=case, date=day, method=method, result=result, reached=reached
    )
    if reached and (case.last_contact_on is None or day > case.last_contact_on):
        case.last_contact_on = day
        case.save(update_fields=["last_contact_on", "updated_at"])
    log_action(
        case,
        ACTION_RELATION_ATTEMPT_ADDED,
        user=user,
        data={"method": method, "reached": reached},
    )
    return attempt


def cases_snapshot(branch, today: date) -> dict:
    """Plain data for a relation report: the branch's open cases (or none) on ``today``."""
    rows = []
    cases = RelationCase.objects.filter(branch=branch).exclude(kind=RelationKind.TRANSFER)
    for case in cases.open().select_related("person"):
        rows.append(
            {
                "person": case.person.name,
                "kind": str(case.get_kind_display()),
                "last_contact_on": case.last_contact_on.isoformat() if case.last_contact_on else "",
                "disposition": str(case.get_disposition_display()) if case.disposition else "",
                "flags": [f.message for f in case_flags(case, today)],
            }
        )
    return {"taken_on": today.isoformat(), "cases": rows}
