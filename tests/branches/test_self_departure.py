"""自行脱党 (DOMAIN.md §5): six months without organisational life or work, no proper reason."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import (
    AttendanceStatus,
    LifeRule,
    MeetingAttendance,
    MeetingRecord,
    MeetingType,
    RelationCase,
    RelationKind,
)
from branches.services.relations import case_flags, due_flags
from branches.services.self_departure import dues_status, self_departures
from tests.builders.branch_life import members

pytestmark = pytest.mark.django_db


def _meeting(branch, day, person, status, reason=""):
    meeting = MeetingRecord.objects.create(
        branch=branch, meeting_type=MeetingType.GROUP_MEETING, theme="党小组会", date=day
    )
    MeetingAttendance.objects.create(
        meeting=meeting, person=person, status=status, absence_reason=reason
    )


def _member(tree, last_present=date(2025, 1, 10)):
    branch = tree["branch_a"]
    person = members(branch, 1)[0]
    _meeting(branch, last_present, person, AttendanceStatus.PRESENT)
    _meeting(branch, date(2025, 3, 10), person, AttendanceStatus.ABSENT, "none")
    return branch, person


def test_flagged_exactly_six_months_after_the_last_meeting_attended(tree):
    branch, person = _member(tree)
    assert self_departures(branch, date(2025, 7, 9)) == []
    flagged = self_departures(branch, date(2025, 7, 10))
    assert [f.person for f in flagged] == [person]
    assert flagged[0].last_activity == date(2025, 1, 10) and flagged[0].missed == 1


def test_the_months_come_from_the_rule_row(tree):
    LifeRule.objects.filter(code="self_departure_months").update(value=3)
    branch, person = _member(tree)
    assert self_departures(branch, date(2025, 4, 10))


def test_an_absence_with_a_proper_reason_is_not_leaving(tree):
    branch, person = _member(tree)
    _meeting(branch, date(2025, 4, 1), person, AttendanceStatus.ABSENT, "illness")
    assert self_departures(branch, date(2025, 7, 10)) == []


def test_no_meeting_missed_is_not_leaving(tree):
    branch = tree["branch_a"]
    person = members(branch, 1)[0]
    _meeting(branch, date(2025, 1, 10), person, AttendanceStatus.PRESENT)
    assert self_departures(branch, date(2025, 12, 1)) == []


def test_a_mobile_member_in_contact_has_a_proper_reason(tree):
    branch, person = _member(tree)
    RelationCase.objects.create(
        person=person,
        branch=branch,
        kind=RelationKind.MOBILE,
        opened_on=date(2025, 2, 1),
        last_contact_on=date(2025, 6, 1),
    )
    assert self_departures(branch, date(2025, 7, 10)) == []


def test_dues_are_unknown_until_the_portal_keeps_them(tree):
    branch, person = _member(tree)
    assert dues_status(person, date(2025, 1, 10), date(2025, 7, 10)) == "unknown"
    assert self_departures(branch, date(2025, 7, 10))[0].dues == "unknown"


def _case(tree, kind=RelationKind.LOST_CONTACT, last_contact=None):
    person = members(tree["branch_a"], 1)[0]
    return RelationCase.objects.create(
        person=person,
        branch=tree["branch_a"],
        kind=kind,
        opened_on=date(2025, 1, 1),
        last_life_on=date(2025, 1, 10),
        last_contact_on=last_contact,
    )


def test_a_relation_case_flags_six_months_without_life_for_the_reminders(tree):
    case = _case(tree)
    assert "self_departure" not in {f.code for f in case_flags(case, date(2025, 7, 9))}
    assert "self_departure" in {f.code for f in case_flags(case, date(2025, 7, 10))}
    # The reminders read due_flags: the new flag reaches them without any change there.
    assert "self_departure" in {f.code for _c, fl in due_flags(date(2025, 7, 10)) for f in fl}


def test_a_mobile_case_in_contact_is_not_flagged(tree):
    case = _case(tree, kind=RelationKind.MOBILE, last_contact=date(2025, 6, 1))
    assert "self_departure" not in {f.code for f in case_flags(case, date(2025, 7, 10))}
