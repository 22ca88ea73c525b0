"""Membership-relation cases: required disposition dates and the flags with time travel."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import Disposition, RelationCase, RelationKind, RelationRule
from branches.services import Refused
from branches.services.relations import add_attempt, case_flags, due_flags, save_case
from tests.builders.branch_life import members

pytestmark = pytest.mark.django_db


def _case(tree, kind=RelationKind.LOST_CONTACT, **fields):
    person = members(tree["branch_a"], 1)[0]
    fields.setdefault("opened_on", date(2022, 1, 1))
    return save_case(
        RelationCase(person=person, branch=tree["branch_a"], kind=kind, **fields), user=None
    )


def _codes(case, today):
    return [f.code for f in case_flags(case, today)]


def test_six_months_without_contact(tree):
    case = _case(tree, last_contact_on=date(2022, 3, 15))
    assert _codes(case, date(2022, 9, 14)) == []
    assert _codes(case, date(2022, 9, 15)) == ["no_contact"]
    add_attempt(
        case, day=date(2022, 9, 20), method="电话", result="已联系上", reached=True, user=None
    )
    assert _codes(case, date(2022, 10, 1)) == []


def test_unreached_attempt_does_not_reset_contact(tree):
    case = _case(tree, last_contact_on=date(2022, 1, 1))
    add_attempt(case, day=date(2022, 8, 1), method="走访", result="无人", reached=False, user=None)
    assert _codes(case, date(2022, 8, 2)) == ["no_contact"]


def test_letter_expired_without_receipt(tree):
    case = _case(
        tree,
        kind=RelationKind.POCKET,
        last_contact_on=date(2022, 6, 1),
        letter_number="沪转2022-01",
        letter_issued_on=date(2022, 6, 1),
        letter_valid_until=date(2022, 8, 31),
        destination="某街道党工委",
    )
    assert _codes(case, date(2022, 8, 31)) == []
    assert _codes(case, date(2022, 9, 1)) == ["letter_expired"]
    case.receipt_on = date(2022, 9, 5)
    save_case(case, user=None)
    assert _codes(case, date(2022, 9, 6)) == []


def test_two_years_after_standing_was_stopped(tree):
    case = _case(
        tree,
        disposition=Disposition.STANDING_STOPPED,
        disposition_meeting_on=date(2020, 5, 1),
        disposition_approved_on=date(2020, 5, 20),
    )
    assert case.standing_stopped_on == date(2020, 5, 20)
    assert "struck_off_due" not in _codes(case, date(2022, 5, 19))
    assert _codes(case, date(2022, 5, 20)) == ["struck_off_due"]


def test_abroad_without_contact_uses_its_own_rule(tree):
    RelationRule.objects.filter(code="abroad_contact").update(months=3)
    case = _case(tree, kind=RelationKind.ABROAD, last_contact_on=date(2022, 1, 10))
    assert _codes(case, date(2022, 4, 9)) == []
    assert _codes(case, date(2022, 4, 10)) == ["abroad_contact"]


def test_closed_cases_have_no_flags_and_due_flags_lists_open_ones(tree):
    flagged = _case(tree, last_contact_on=date(2021, 1, 1))
    _case(tree, last_contact_on=date(2021, 1, 1), closed_on=date(2022, 2, 1))
    found = due_flags(date(2022, 3, 1))
    assert [case for case, _flags in found] == [flagged]


@pytest.mark.parametrize(
    "disposition, dates",
    [
        (Disposition.RESTORED, {}),
        (Disposition.DEADLINE, {"disposition_on": date(2022, 3, 1)}),
        (Disposition.STANDING_STOPPED, {"disposition_meeting_on": date(2022, 3, 1)}),
        (Disposition.STRUCK_OFF, {"disposition_approved_on": date(2022, 3, 1)}),
    ],
)
def test_disposition_without_its_required_date_is_refused(tree, disposition, dates):
    case = _case(tree)
    case.disposition = disposition
    for name, value in dates.items():
        setattr(case, name, value)
    with pytest.raises(Refused):
        save_case(case, user=None)
    case.refresh_from_db()
    assert case.disposition == ""
