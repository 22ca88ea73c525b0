"""Concerns that need the institute: the office's list across branches, its answer, and the
branch seeing that answer on its survey."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from surveys.audit_actions import ACTION_CONCERN_ANSWERED
from surveys.models import Concern, ServiceSurvey
from tasks.models import Assignment, AssignmentStatus
from tests.builders.surveys import concern_values, submitted_survey
from tests.builders.tasks import form_assignment
from tests.surveys.helpers import detail, rows_post

pytestmark = pytest.mark.django_db


def test_office_lists_concerns_of_all_branches_with_filters(personas):
    a = submitted_survey(personas, "branch_a")
    b = submitted_survey(personas, "branch_b", concern="宿舍网络不稳定")
    Concern.objects.create(
        sheet=b, position=2, **concern_values(solver="branch", concern="分支能办")
    )
    draft = form_assignment(personas, "service_survey")  # a draft stays private

    sheet = ServiceSurvey.objects.create(assignment=draft)
    Concern.objects.create(sheet=sheet, position=1, **concern_values(concern="草稿里的诉求"))
    client = personas.client("office")
    page = client.get(reverse("surveys:concern_list")).content.decode()
    assert "实验楼夜间门禁" in page and "宿舍网络不稳定" in page
    assert "分支能办" not in page and "草稿里的诉求" not in page
    only_b = client.get(reverse("surveys:concern_list"), {"branch": b.assignment.branch_id})
    assert [c.pk for c in only_b.context["page"]] == [b.rows.get(solver="institute").pk]
    found = client.get(reverse("surveys:concern_list"), {"q": "网络"})
    assert len(found.context["page"]) == 1
    assert a.rows.exists()


def test_office_records_the_answer_and_the_branch_sees_it(personas):
    sheet = submitted_survey(personas)
    concern = sheet.rows.get()
    client = personas.client("office")
    url = reverse("surveys:concern_answer", args=[concern.pk])
    response = client.post(url, {"office_department": "", "office_result": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url,
        {
            "office_department": "综合处",
            "office_result": "门禁延长至 23 点",
            "office_told_on": "2022-11-20",
            "office_told_channel": "所内通知",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.has_office_answer and concern.office_recorded_by == personas.user("office")
    assert AuditEntry.objects.filter(action=ACTION_CONCERN_ANSWERED).exists()
    waiting = personas.client("office").get(reverse("surveys:concern_list"), {"answered": "no"})
    assert not list(waiting.context["page"])
    branch_page = personas.client("secretary_a").get(detail(sheet.assignment)).content.decode()
    assert "综合处" in branch_page and "所内通知" in branch_page and "2022-11-20" in branch_page


def test_the_branch_cannot_answer(personas):
    concern = submitted_survey(personas).rows.get()
    client = personas.client("secretary_a")
    assert client.get(reverse("surveys:concern_list")).status_code == 404
    url = reverse("surveys:concern_answer", args=[concern.pk])
    assert client.post(url, {"office_department": "x", "office_result": "y"}).status_code == 404


def test_survey_form_rules(personas):
    assignment = form_assignment(personas, "service_survey")
    row = {
        "date": "",
        "method": "forum",
        "concern": "",
        "category": "research",
        "solver": "institute",
        "position": "1",
    }
    response = personas.client("secretary_a").post(detail(assignment), rows_post([row]))
    assert set(response.context["form"].rows.forms[0].errors) == {"date", "concern"}
    row.update(date="2022-11-02", concern="门禁时间")
    assert (
        personas.client("secretary_a").post(detail(assignment), rows_post([row])).status_code == 302
    )
    assert Concern.objects.get().solver == "institute"


def test_re_importing_a_returned_survey_keeps_the_offices_answers(personas):

    sheet = submitted_survey(personas)
    Concern.objects.create(sheet=sheet, position=2, **concern_values(concern="食堂晚餐时间太早"))
    answered = sheet.rows.get(position=1)
    Concern.objects.filter(pk=answered.pk).update(
        office_department="综合处",
        office_result="门禁延长至 23 点",
        office_recorded_at=timezone.now(),
        office_recorded_by=personas.user("office"),
    )
    assignment = sheet.assignment
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.RETURNED)
    client = personas.client("secretary_a")
    exported = client.get(reverse("surveys:sheet_export", args=[assignment.pk]))
    data = b"".join(exported.streaming_content)

    url = reverse("surveys:sheet_import", args=[assignment.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("survey.xlsx", data)})
    assert preview.status_code == 200 and not preview.context.get("errors")
    client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))

    rows = {c.concern: c for c in Concern.objects.filter(sheet=sheet)}
    assert set(rows) == {answered.concern, "食堂晚餐时间太早"}
    kept = rows[answered.concern]
    assert kept.pk != answered.pk  # the rows were replaced by the imported ones...
    assert kept.has_office_answer and kept.office_result == "门禁延长至 23 点"  # ...answer kept
    assert kept.office_recorded_by == personas.user("office")
    assert not rows["食堂晚餐时间太早"].has_office_answer
