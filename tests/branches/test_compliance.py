"""三会一课 compliance from the records against the frequency rules (data)."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import FrequencyRule, MeetingRecord, MeetingType, Period
from branches.services.compliance import compliance_summary

pytestmark = pytest.mark.django_db


def _meet(branch, day, meeting_type, also=()):
    return MeetingRecord.objects.create(
        branch=branch, date=day, meeting_type=meeting_type, theme="t", also_counts_as=list(also)
    )


def _rule(summary, meeting_type):
    return next(r for r in summary["rules"] if r["meeting_type"] == meeting_type)


def _only_rules(*rules):
    FrequencyRule.objects.all().delete()
    for meeting_type, period, minimum in rules:
        FrequencyRule.objects.create(meeting_type=meeting_type, period=period, minimum=minimum)


def test_month_boundaries_count_in_their_own_month(tree):
    branch = tree["branch_a"]
    _only_rules((MeetingType.COMMITTEE_MEETING, Period.MONTH, 1))
    _meet(branch, date(2022, 1, 31), MeetingType.COMMITTEE_MEETING)
    _meet(branch, date(2022, 3, 1), MeetingType.COMMITTEE_MEETING)
    summary = compliance_summary(branch, 2022, today=date(2022, 4, 15))
    states = [p["state"] for p in _rule(summary, MeetingType.COMMITTEE_MEETING)["periods"]]
    assert states[:4] == ["met", "gap", "met", "open"]
    assert states[4:] == ["not_due"] * 8
    assert summary["due"] == 3 and summary["met"] == 2 and not summary["compliant"]


def test_quarter_boundaries(tree):
    branch = tree["branch_a"]
    _only_rules((MeetingType.GENERAL_MEETING, Period.QUARTER, 1))
    _meet(branch, date(2022, 3, 31), MeetingType.GENERAL_MEETING)  # Q1
    _meet(branch, date(2022, 7, 1), MeetingType.GENERAL_MEETING)  # Q3
    summary = compliance_summary(branch, 2022, today=date(2023, 1, 1))
    assert [p["state"] for p in _rule(summary, MeetingType.GENERAL_MEETING)["periods"]] == [
        "met",
        "gap",
        "met",
        "gap",
    ]
    assert len(summary["gaps"]) == 2


def test_one_meeting_counts_for_several_types(tree):
    branch = tree["branch_a"]
    _only_rules(
        (MeetingType.THEMED_DAY, Period.MONTH, 1), (MeetingType.GROUP_MEETING, Period.MONTH, 1)
    )
    _meet(branch, date(2022, 5, 10), MeetingType.THEMED_DAY, also=[MeetingType.GROUP_MEETING])
    summary = compliance_summary(branch, 2022, today=date(2022, 6, 1))
    for meeting_type in (MeetingType.THEMED_DAY, MeetingType.GROUP_MEETING):
        assert _rule(summary, meeting_type)["periods"][4]["state"] == "met"


def test_minimum_and_periods_come_from_the_rules_table(tree):
    branch = tree["branch_a"]
    _only_rules((MeetingType.PARTY_LESSON, Period.YEAR, 2))
    _meet(branch, date(2022, 2, 1), MeetingType.PARTY_LESSON)
    summary = compliance_summary(branch, 2022, today=date(2023, 2, 1))
    assert summary["gaps"] and summary["ratio"] == 0.0
    _meet(branch, date(2022, 12, 31), MeetingType.PARTY_LESSON)
    assert compliance_summary(branch, 2022, today=date(2023, 2, 1))["compliant"]


def test_periods_before_the_branch_was_founded_are_not_due(tree):
    branch = tree["branch_a"]
    branch.founded_on = date(2022, 6, 15)
    branch.save()
    _only_rules((MeetingType.COMMITTEE_MEETING, Period.MONTH, 1))
    summary = compliance_summary(branch, 2022, today=date(2022, 7, 1))
    states = [p["state"] for p in summary["rules"][0]["periods"]]
    assert states[:5] == ["not_due"] * 5 and states[5] == "gap"


def test_default_rules_are_loaded_as_data(tree):
    assert FrequencyRule.objects.filter(
        meeting_type=MeetingType.GENERAL_MEETING, period=Period.QUARTER
    ).exists()
    summary = compliance_summary(tree["branch_a"], 2022, today=date(2023, 1, 1))
    assert {r["meeting_type"] for r in summary["rules"]} >= {
        "general_meeting",
        "committee_meeting",
        "themed_day",
    }
