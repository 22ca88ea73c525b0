"""Office pages: compose a notice, add areas and items, publish, move a deadline, withdraw."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ITEM_DEADLINE_CHANGED
from tasks.models import Assignment, Notice, TaskItem, local_today
from tests.bounds import docx_bomb, within_bounds
from tests.builders.tasks import PDF_BYTES, make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def test_compose_and_publish_a_notice(personas):
    client = personas.client("office")
    committee = personas.tree["committee"]
    response = client.post(
        reverse("tasks:notice_create"),
        {
            "committee": committee.pk,
            "year": 2030,
            "issue_number": 1,
            "date": "2030-01-05",
            "title": "党支部工作提示",
            "introduction": "",
        },
    )
    notice = Notice.objects.get(year=2030)
    assert response["Location"] == reverse("tasks:notice_detail", args=[notice.pk])
    client.post(reverse("tasks:area_create", args=[notice.pk]), {"number": 1, "title": "学习"})
    area = notice.areas.get()
    response = client.post(
        reverse("tasks:item_create", args=[notice.pk]),
        {
            "area": area.pk,
            "label": "1",
            "title": "上报学习情况",
            "deadline": (local_today() + timedelta(days=20)).isoformat(),
            "scope": "in_service",
            "kind": "report",
            "instructions": "至少一次",
            "template_file": SimpleUploadedFile("附件1.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    item = TaskItem.objects.get()
    assert item.files.count() == 1
    client.post(reverse("tasks:notice_publish", args=[notice.pk]))
    assert Assignment.objects.filter(item=item).count() == 2
    page = client.get(reverse("tasks:notice_detail", args=[notice.pk]))
    assert page.status_code == 200
    # Once published, the notice leads to its dashboard.
    assert reverse("tasks:notice_dashboard", args=[notice.pk]) in page.content.decode()


def test_past_deadline_warns_but_is_allowed(personas):
    notice = make_notice(personas.tree["committee"])
    item = make_item(notice)
    response = personas.client("office").post(
        reverse("tasks:item_create", args=[notice.pk]),
        {
            "area": item.area_id,
            "title": "补报",
            "deadline": "2022-10-31",
            "scope": "all",
            "kind": "report",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert TaskItem.objects.filter(title="补报").exists()
    assert any("already in the past" in str(m) for m in response.context["messages"])


def test_chosen_scope_needs_branches_and_unknown_kind_is_refused(personas):
    notice = make_notice(personas.tree["committee"])
    item = make_item(notice)
    response = personas.client("office").post(
        reverse("tasks:item_create", args=[notice.pk]),
        {
            "area": item.area_id,
            "title": "x",
            "deadline": "2030-01-01",
            "scope": "chosen",
            "kind": "nope",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"chosen_branches", "kind"}


def test_zip_bomb_attachment_is_refused_quickly(personas):
    notice = make_notice(personas.tree["committee"])
    item = make_item(notice)
    client = personas.client("office")

    def post():
        data = {"area": item.area_id, "title": "附件炸弹", "deadline": "2030-01-01"}
        data |= {"scope": "all", "kind": "report"}
        upload = SimpleUploadedFile("附件.docx", docx_bomb())
        return client.post(
            reverse("tasks:item_create", args=[notice.pk]), {**data, "template_file": upload}
        )

    response = within_bounds(post)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"template_file"}
    assert not TaskItem.objects.filter(title="附件炸弹").exists()


def test_deadline_change_after_publishing_is_logged_and_scope_is_fixed(personas):
    item = published_item(personas.tree["committee"], deadline=date(2030, 10, 31))
    response = personas.client("office").post(
        reverse("tasks:item_edit", args=[item.pk]),
        {
            "area": item.area_id,
            "title": item.title,
            "deadline": "2030-11-30",
            "scope": "all",  # disabled after publishing: ignored
            "kind": "meeting",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == date(2030, 11, 30) and item.scope == "in_service"
    assert item.kind == "report"
    assert AuditEntry.objects.filter(action=ACTION_ITEM_DEADLINE_CHANGED).count() == 1


def test_withdraw_from_the_notice_page(personas):
    item = published_item(personas.tree["committee"])
    personas.client("office").post(reverse("tasks:item_withdraw", args=[item.pk]))
    assert not Assignment.objects.open().exists()
    todo = personas.client("secretary_a").get(
        reverse("tasks:todo_list", args=[personas.tree["branch_a"].pk])
    )
    assert list(todo.context["assignments"]) == []


def test_notice_of_another_committee_is_404(personas):
    other = make_notice(personas.tree["other_committee"])
    response = personas.client("office").get(reverse("tasks:notice_detail", args=[other.pk]))
    assert response.status_code == 404


def test_notice_list_pages(personas):
    for _ in range(3):
        make_notice(personas.tree["committee"])
    response = personas.client("office").get(reverse("tasks:notice_list"))
    assert len(response.context["page"]) == 3
