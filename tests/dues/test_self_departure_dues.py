"""The six-month rule on dues (党章 art. 9): nothing paid for six months without a proper
reason raises the 自行脱党 flag, on the compliance panel and through the relation flags and
their reminders."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from branches.models import Person, RelationCase, RelationKind
from branches.services.relations import case_flags, due_flags
from branches.services.self_departure import dues_status, lapsed_dues, self_departures
from dues.standing import lapsed_members
from tasks.models import Reminder, ReminderKind
from tasks.reminders.branch_life import plan_branch_life_reminders
from tests.builders.dues import member_with_base, pay
from tests.clock import BEIJING

pytestmark = pytest.mark.django_db


def _lapsed(tree):
    """A member with a base from January who paid January on 5 January, then nothing."""
    person = member_with_base(tree["branch_a"], "4000", month=date(2025, 1, 1))
    pay(person, date(2025, 1, 1), 1, "40", paid_on=date(2025, 1, 5))
    return person


def test_nothing_paid_for_exactly_six_months_raises_the_flag(tree):
    person = _lapsed(tree)
    assert dues_status(person, date(2025, 1, 4), date(2025, 7, 4)) == "paid"
    assert self_departures(tree["branch_a"], date(2025, 7, 4)) == []
    flagged = self_departures(tree["branch_a"], date(2025, 7, 5))
    assert [f.person for f in flagged] == [person]
    assert flagged[0].dues == "unpaid" and not flagged[0].no_life


def test_a_payment_within_the_months_clears_it(tree):
    person = _lapsed(tree)
    pay(person, date(2025, 2, 1), 1, "40", paid_on=date(2025, 6, 30))
    assert self_departures(tree["branch_a"], date(2025, 7, 5)) == []


def test_months_paid_in_advance_are_paid(tree):
    person = member_with_base(tree["branch_a"], "4000", month=date(2025, 1, 1))
    pay(person, date(2025, 1, 1), 12, "480", paid_on=date(2025, 1, 5))
    assert dues_status(person, date(2025, 3, 5), date(2025, 9, 5)) == "paid"
    assert self_departures(tree["branch_a"], date(2025, 9, 5)) == []


def test_dues_not_kept_for_the_whole_window_are_unknown(tree):
    person = member_with_base(tree["branch_a"], "4000", month=date(2025, 3, 1))
    assert dues_status(person, date(2025, 1, 5), date(2025, 7, 5)) == "unknown"
    assert self_departures(tree["branch_a"], date(2025, 7, 5)) == []


def test_an_exempted_member_has_a_proper_reason(tree):
    member_with_base(tree["branch_a"], None, category="exempt", month=date(2025, 1, 1))
    assert self_departures(tree["branch_a"], date(2025, 9, 5)) == []


def test_a_mobile_member_in_contact_has_a_proper_reason(tree):
    person = _lapsed(tree)
    RelationCase.objects.create(
        person=person,
        branch=tree["branch_a"],
        kind=RelationKind.MOBILE,
        opened_on=date(2025, 2, 1),
        last_contact_on=date(2025, 6, 1),
    )
    assert self_departures(tree["branch_a"], date(2025, 7, 5)) == []


def test_the_relation_flag_and_its_reminders_carry_it(tree):
    person = _lapsed(tree)
    case = RelationCase.objects.create(
        person=person,
        branch=tree["branch_a"],
        kind=RelationKind.LOST_CONTACT,
        opened_on=date(2025, 1, 1),
        last_contact_on=date(2025, 6, 1),
    )
    assert "self_departure" not in {f.code for f in case_flags(case, date(2025, 7, 4))}
    flags = {f.code: f.message for f in case_flags(case, date(2025, 7, 5))}
    assert "dues" in flags["self_departure"].lower() or "党费" in flags["self_departure"]
    # The branch-life reminders read due_flags: the dues flag reaches them unchanged.
    assert "self_departure" in {f.code for _c, fl in due_flags(date(2025, 7, 5)) for f in fl}


@pytest.mark.clock(at=datetime(2025, 7, 10, 10, 0, tzinfo=BEIJING))
def test_the_compliance_panel_names_the_member(personas, tree):
    person = _lapsed(tree)
    page = personas.client("secretary_a").get(
        reverse("branches:organisation_detail", args=[tree["branch_a"].pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert f"{person.name}: no Party dues paid" in page.content.decode()


def test_the_list_of_lapsed_members_agrees_with_the_status_of_each(tree):
    branch = tree["branch_a"]
    lapsed = _lapsed(tree)
    paying = member_with_base(branch, "4000", month=date(2025, 1, 1))
    pay(paying, date(2025, 1, 1), 6, "240", paid_on=date(2025, 6, 1))
    member_with_base(branch, None, category="exempt", month=date(2025, 1, 1))
    member_with_base(branch, "4000", month=date(2025, 5, 1))  # too recent to tell
    since, today = date(2025, 1, 5), date(2025, 7, 5)
    listed = lapsed_members(since, today)
    assert listed == [lapsed]
    unpaid = [
        p for p in Person.objects.filter(branch=branch) if dues_status(p, since, today) == "unpaid"
    ]
    assert unpaid == listed


def test_a_lapsed_member_without_a_case_is_told_to_the_branch_monthly(personas, tree):
    person = _lapsed(tree)
    secretary = personas.people["secretary_a"]
    today = date(2025, 7, 5)
    assert [row.person for row in lapsed_dues(today)] == [person]
    assert plan_branch_life_reminders(today, now=datetime(2025, 7, 5, 8, 30, tzinfo=BEIJING)) == 1
    row = Reminder.objects.get(kind=ReminderKind.BRANCH_LIFE)
    assert row.person == secretary and row.slot == f"dues:{person.pk}:2025-07"
    assert row.link == reverse("branches:organisation_detail", args=[tree["branch_a"].pk])
    assert plan_branch_life_reminders(today, now=datetime(2025, 7, 5, 9, tzinfo=BEIJING)) == 0
    # An open relation case carries the flag itself: no second message about the member.
    RelationCase.objects.create(
        person=person,
        branch=tree["branch_a"],
        kind=RelationKind.LOST_CONTACT,
        opened_on=date(2025, 6, 1),
    )
    assert lapsed_dues(date(2025, 8, 5)) == []
