"""Meeting records (branches) and the ``meeting`` deliverable kind that links them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.models import MeetingRecord, MeetingType
from tasks.models import Assignment, AssignmentStatus
from tests.bounds import docx_bomb, within_bounds
from tests.builders.tasks import PDF_BYTES, assignment_of, make_meeting, published_item


def _meeting_data(**overrides):
    data = {
        "meeting_type": MeetingType.THEMED_DAY,
        "theme": "弘扬科学家精神",
        "date": "2022-11-15",
        "place": "报告厅",
        "chair": "甲书记",
        "recorder": "组织委员",
        "due_count": 15,
        "present_count": 13,
        "absentees": "张三 — 出差\n李四 — 病假",
        "topics": "讲述老科学家故事",
        "summary": "",
    }
    data.update(overrides)
    return data


def test_secretary_records_a_meeting_with_a_photo(personas):
    branch = personas.tree["branch_a"]
    client = personas.client("secretary_a")
    response = client.post(
        reverse("branches:branch_meeting_create", args=[branch.pk]),
        _meeting_data(upload=SimpleUploadedFile("签到表.pdf", PDF_BYTES)),
    )
    assert response.status_code == 302
    meeting = MeetingRecord.objects.get()
    assert meeting.branch == branch and meeting.files.count() == 1
    listing = client.get(reverse("branches:branch_meetings", args=[branch.pk]))
    assert "弘扬科学家精神" in listing.content.decode()
    file_url = reverse("branches:branch_meeting_file", args=[meeting.files.get().pk])
    assert client.get(file_url).status_code == 200
    assert personas.client("secretary_b").get(file_url).status_code == 404


def test_bad_attendance_is_refused_and_input_kept(personas):
    response = personas.client("secretary_a").post(
        reverse("branches:branch_meeting_create", args=[personas.tree["branch_a"].pk]),
        _meeting_data(present_count=20),
    )
    assert response.status_code == 200
    assert "讲述老科学家故事" in response.content.decode()
    assert not MeetingRecord.objects.exists()


def test_other_branch_cannot_edit(personas):
    meeting = make_meeting(personas.tree["branch_a"])
    url = reverse("branches:branch_meeting_edit", args=[meeting.pk])
    assert personas.client("secretary_b").post(url, _meeting_data()).status_code == 404
    response = personas.client("secretary_a").post(url, _meeting_data(theme="改后的主题"))
    assert response.status_code == 302
    assert MeetingRecord.objects.get().theme == "改后的主题"


def test_meeting_task_lists_only_matching_records_and_submits(personas):
    branch = personas.tree["branch_a"]
    item = published_item(
        personas.tree["committee"],
        kind="meeting",
        required_meeting_type=MeetingType.THEMED_DAY,
        required_theme="科学家精神",
    )
    good = make_meeting(branch)
    make_meeting(branch, meeting_type=MeetingType.COMMITTEE_MEETING, theme="科学家精神 支委会")
    make_meeting(branch, theme="其他主题党日")
    make_meeting(personas.tree["branch_b"])  # another branch's record
    a = assignment_of(item, branch)
    client = personas.client("secretary_a")
    url = reverse("tasks:assignment_detail", args=[a.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["meetings"].queryset) == [good]
    # Submitting without a linked record is refused.
    client.post(url, {"version": a.version, "action": "submit"})
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.PENDING
    client.post(url, {"version": a.version, "meetings": [good.pk], "action": "submit"})
    a = Assignment.objects.get(pk=a.pk)
    assert a.status == AssignmentStatus.SUBMITTED and list(a.meetings.all()) == [good]
    office_view = personas.client("office").get(url)
    assert good.theme in office_view.content.decode()


def test_zip_bomb_meeting_file_is_refused_quickly(personas):
    url = reverse("branches:branch_meeting_create", args=[personas.tree["branch_a"].pk])
    client = personas.client("secretary_a")
    response = within_bounds(
        lambda: client.post(url, _meeting_data(upload=SimpleUploadedFile("记录.docx", docx_bomb())))
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"upload"}
    assert not MeetingRecord.objects.exists()
