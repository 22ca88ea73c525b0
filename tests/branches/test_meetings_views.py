"""Meeting pages: recording attendance, a vote without quorum refused with its reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches.models import FollowUp, MeetingRecord, Person, Resolution
from tests.builders.branch_life import meeting_with_attendance, members

pytestmark = pytest.mark.django_db


def test_record_with_attendance_list(personas):
    branch = personas.tree["branch_a"]
    people = members(branch, 3)
    data = {
        "meeting_type": "themed_day",
        "also_counts_as": ["group_meeting"],
        "theme": "主题党日",
        "date": "2022-10-20",
        "due_count": 0,
        "present_count": 0,
    }
    for p in Person_all(branch):
        data[f"att-{p.pk}"] = "present"
    data[f"att-{people[0].pk}"] = "absent"
    data[f"reason-{people[0].pk}"] = "illness"
    response = personas.client("secretary_a").post(
        reverse("branches:branch_meeting_create", args=[branch.pk]), data
    )
    assert response.status_code == 302
    meeting = MeetingRecord.objects.get()
    assert meeting.also_counts_as == ["group_meeting"]
    assert meeting.present_count == meeting.due_count - 1 and people[0].name in meeting.absentees


def Person_all(branch):

    return Person.objects.filter(branch=branch).active().members()


def test_vote_without_quorum_shows_the_reason_and_saves_nothing(personas):
    meeting = meeting_with_attendance(personas.tree["branch_a"], present=2, absent=3)
    client = personas.client("secretary_a")
    url = reverse("branches:branch_meeting_resolution_add", args=[meeting.pk])
    response = client.post(
        url,
        {"text": "接收预备党员", "votes_for": 2, "votes_against": 0, "votes_abstain": 0},
        follow=True,
    )
    assert "quorum" in response.content.decode() or "法定人数" in response.content.decode()
    assert not Resolution.objects.exists()


def test_written_opinions_are_entered_with_the_vote_and_shown(personas):
    meeting = meeting_with_attendance(personas.tree["branch_a"], present=4, absent=3)
    client = personas.client("secretary_a")
    response = client.post(
        reverse("branches:branch_meeting_resolution_add", args=[meeting.pk]),
        {
            "text": "接收预备党员",
            "votes_for": 3,
            "votes_against": 1,
            "votes_abstain": 0,
            "written_for": 1,
            "written_against": "",
        },
        follow=True,
    )
    resolution = Resolution.objects.get()
    assert (resolution.written_for, resolution.written_against) == (1, 0)
    assert resolution.outcome == "passed"  # 3 present + 1 in writing > half of 7
    row = response.content.decode().split('id="resolutions"')[1].split("</table>")[0]
    assert "1 / 0" in row


def test_readers_see_the_detail_but_cannot_add(personas):
    meeting = meeting_with_attendance(personas.tree["branch_a"], present=3, absent=0)
    assert (
        personas.client("committee")
        .get(reverse("branches:branch_meeting_detail", args=[meeting.pk]))
        .status_code
        == 200
    )
    response = personas.client("committee").post(
        reverse("branches:branch_meeting_follow_up_add", args=[meeting.pk]),
        {"task": "x", "owner": "y", "deadline": "2022-12-01"},
    )
    assert response.status_code == 404


def test_compliance_page_and_panel(personas):
    branch = personas.tree["branch_a"]
    assert (
        personas.client("secretary_a")
        .get(reverse("branches:branch_compliance", args=[branch.pk]))
        .status_code
        == 200
    )
    page = (
        personas.client("committee")
        .get(reverse("branches:organisation_detail", args=[branch.pk]))
        .content.decode()
    )
    assert reverse("branches:branch_compliance", args=[branch.pk]) in page


def test_an_incomplete_follow_up_says_what_is_missing_and_saves_nothing(personas):

    meeting = meeting_with_attendance(personas.tree["branch_a"], present=3, absent=0)
    response = personas.client("secretary_a").post(
        reverse("branches:branch_meeting_follow_up_add", args=[meeting.pk]),
        {"task": ""},
        follow=True,
    )
    text = response.content.decode()
    assert "Nothing was saved" in text or "未保存" in text
    assert not FollowUp.objects.exists()
