"""The outcome of a development case (DOMAIN.md §4): the probation extended once by 6 to 12
months, or the case stopped and a probationary membership cancelled."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from branches.audit_actions import ACTION_DEVELOPMENT_PROBATION_EXTENDED, ACTION_DEVELOPMENT_STOPPED
from branches.models import CaseStatus, DevelopmentCase, MemberType
from branches.services import Refused
from branches.services.development import development_due, extend_probation, stop_case
from portal.models import AuditEntry
from tests.builders.branch_life import advance, applicant_case, case_up_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions compare English msgids; the catalogue's Chinese is tested elsewhere."""

    with translation.override("en"):
        yield


def _awaiting_conversion_meeting(branch) -> DevelopmentCase:
    """A probationary member (branch meeting 2021-12-10) whose conversion meeting is next."""
    case = case_up_to(branch, "approval")
    for code, day in [
        ("approval_filed", date(2022, 1, 10)),
        ("group_assigned", date(2022, 1, 15)),
        ("oath", date(2022, 2, 1)),
        ("probation_education", date(2022, 6, 1)),
        ("conversion_request", date(2022, 11, 20)),
    ]:
        advance(case, code, day)
    case.refresh_from_db()
    return case


def _due(case, today):
    return [(d.step.code, d.due_on) for d in development_due(today) if d.case == case]


def test_extension_moves_the_conversion_meeting(tree):
    case = _awaiting_conversion_meeting(tree["branch_a"])
    assert _due(case, date(2022, 12, 1)) == [("conversion_meeting", date(2022, 12, 10))]

    extend_probation(case, months=6, decided_on=date(2022, 12, 5), user=None)

    case.refresh_from_db()
    assert (case.probation_extension_months, case.probation_extended_on) == (6, date(2022, 12, 5))
    assert _due(case, date(2022, 12, 1)) == []
    assert _due(case, date(2023, 6, 1)) == [("conversion_meeting", date(2023, 6, 10))]
    assert AuditEntry.objects.get(action=ACTION_DEVELOPMENT_PROBATION_EXTENDED).data == {
        "months": 6,
        "decided_on": "2022-12-05",
    }
    with pytest.raises(Refused):
        advance(case, "conversion_meeting", date(2022, 12, 10))
    assert advance(case, "conversion_meeting", date(2023, 6, 10)).pk


def test_twelve_months_is_the_longest_extension(tree):
    case = _awaiting_conversion_meeting(tree["branch_a"])
    extend_probation(case, months=12, decided_on=date(2022, 12, 5), user=None)
    assert _due(case, date(2023, 12, 1)) == [("conversion_meeting", date(2023, 12, 10))]


@pytest.mark.parametrize("months", [5, 13])
def test_extension_outside_6_to_12_months_is_refused_and_nothing_saved(tree, months):
    case = _awaiting_conversion_meeting(tree["branch_a"])
    with pytest.raises(Refused) as refused:
        extend_probation(case, months=months, decided_on=date(2022, 12, 5), user=None)
    assert "6" in refused.value.messages[0] and "12" in refused.value.messages[0]
    case.refresh_from_db()
    assert case.probation_extension_months is None and case.probation_extended_on is None
    assert not AuditEntry.objects.filter(action=ACTION_DEVELOPMENT_PROBATION_EXTENDED).exists()


def test_a_second_extension_is_refused(tree):
    case = _awaiting_conversion_meeting(tree["branch_a"])
    extend_probation(case, months=6, decided_on=date(2022, 12, 5), user=None)
    with pytest.raises(Refused) as refused:
        extend_probation(case, months=6, decided_on=date(2023, 6, 1), user=None)
    assert "once" in refused.value.messages[0]
    case.refresh_from_db()
    assert (case.probation_extension_months, case.probation_extended_on) == (6, date(2022, 12, 5))


def test_extension_outside_the_probation_is_refused(tree):
    case = case_up_to(tree["branch_a"], "committee_talk")  # not yet a probationary member
    with pytest.raises(Refused):
        extend_probation(case, months=6, decided_on=date(2022, 1, 1), user=None)
    case.refresh_from_db()
    assert case.probation_extension_months is None


def test_stopping_without_a_reason_is_refused(tree):
    case = case_up_to(tree["branch_a"], "approval")
    with pytest.raises(Refused):
        stop_case(case, reason="  ", stopped_on=date(2022, 3, 1), user=None)
    case.refresh_from_db()
    case.person.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.stopped_on is None
    assert case.person.member_type == MemberType.PROBATIONARY


def test_stopping_a_probationary_members_case_cancels_the_membership(tree):
    case = case_up_to(tree["branch_a"], "approval")
    assert _due(case, date(2022, 2, 1)) == [("approval_filed", date(2022, 2, 4))]
    case.person.refresh_from_db()
    joined = case.person.joined_on
    assert joined is not None

    stop_case(case, reason="预备期内不履行党员义务", stopped_on=date(2022, 3, 1), user=None)

    case.refresh_from_db()
    case.person.refresh_from_db()
    assert (case.status, case.stopped_on) == (CaseStatus.STOPPED, date(2022, 3, 1))
    assert case.stop_reason == "预备期内不履行党员义务"
    assert case.person.member_type == MemberType.NON_MEMBER
    assert case.person.joined_on is None  # no longer a member: no join date
    assert _due(case, date(2022, 2, 1)) == []
    entry = AuditEntry.objects.get(action=ACTION_DEVELOPMENT_STOPPED)
    assert entry.data["probationary_membership_cancelled"] is True
    assert entry.data["joined_on_was"] == joined.isoformat()


def test_stopping_an_applicants_case_cancels_nothing(tree):
    case = applicant_case(tree["branch_a"])
    stop_case(case, reason="本人撤回申请", stopped_on=date(2020, 4, 1), user=None)
    case.person.refresh_from_db()
    assert case.person.member_type == MemberType.NON_MEMBER
    entry = AuditEntry.objects.get(action=ACTION_DEVELOPMENT_STOPPED)
    assert entry.data["probationary_membership_cancelled"] is False


def test_a_stopped_case_takes_no_more_steps(tree):
    case = applicant_case(tree["branch_a"])
    stop_case(case, reason="本人撤回申请", stopped_on=date(2020, 3, 5), user=None)
    with pytest.raises(Refused) as refused:
        advance(case, "talk", date(2020, 3, 10))
    assert "stopped" in refused.value.messages[0]
    with pytest.raises(Refused):
        extend_probation(case, months=6, decided_on=date(2020, 3, 10), user=None)
    assert case.steps.count() == 1


# --- the pages ---------------------------------------------------------------------------------
def test_secretary_extends_and_stops_on_the_case_page(personas):
    case = _awaiting_conversion_meeting(personas.tree["branch_a"])
    client = personas.client("secretary_a")
    page = client.get(reverse("branches:branch_development_case", args=[case.pk])).content.decode()
    assert 'id="extend-form"' in page and 'id="stop-form"' in page
    response = client.post(
        reverse("branches:branch_development_case_extend", args=[case.pk]),
        {"extend-months": "13", "extend-decided_on": "2022-12-05"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.probation_extension_months is None
    client.post(
        reverse("branches:branch_development_case_extend", args=[case.pk]),
        {"extend-months": "8", "extend-decided_on": "2022-12-05"},
    )
    case.refresh_from_db()
    assert case.probation_extension_months == 8
    response = client.post(
        reverse("branches:branch_development_case_stop", args=[case.pk]),
        {"stop-reason": "", "stop-stopped_on": "2023-01-10"},
    )
    case.refresh_from_db()
    assert response.status_code == 302 and case.status == CaseStatus.OPEN
    client.post(
        reverse("branches:branch_development_case_stop", args=[case.pk]),
        {"stop-reason": "预备期内表现不合格", "stop-stopped_on": "2023-01-10"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.STOPPED
    page = personas.client("committee").get(
        reverse("branches:branch_development_case", args=[case.pk])
    )
    text = page.content.decode()
    assert "预备期内表现不合格" in text and 'id="stop-form"' not in text


def test_readers_see_no_outcome_forms(personas):
    case = _awaiting_conversion_meeting(personas.tree["branch_a"])
    page = personas.client("committee").get(
        reverse("branches:branch_development_case", args=[case.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200 and 'id="extend-form"' not in text
    assert 'id="stop-form"' not in text


@pytest.mark.parametrize("persona", ["secretary_b", "committee", "member"])
def test_outcome_posts_of_others_are_404(personas, persona):
    case = _awaiting_conversion_meeting(personas.tree["branch_a"])
    client = personas.client(persona)
    extend = client.post(
        reverse("branches:branch_development_case_extend", args=[case.pk]),
        {"extend-months": "6", "extend-decided_on": "2022-12-05"},
    )
    stop = client.post(
        reverse("branches:branch_development_case_stop", args=[case.pk]),
        {"stop-reason": "x", "stop-stopped_on": "2023-01-10"},
    )
    assert (extend.status_code, stop.status_code) == (404, 404)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.probation_extension_months is None


def test_outcome_urls_are_post_only(personas):
    case = applicant_case(personas.tree["branch_a"])
    client = personas.client("secretary_a")
    for name in (
        "branches:branch_development_case_extend",
        "branches:branch_development_case_stop",
    ):
        assert client.get(reverse(name, args=[case.pk])).status_code == 405
