"""Composing a draft notice: delete areas and items, automatic numbering, save and add another,
and starting from a copy of an earlier notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_AREA_DELETED, ACTION_ITEM_DELETED, ACTION_NOTICE_COPIED
from tasks.models import (
    DeadlineRule,
    Notice,
    NoticeAttachment,
    TaskArea,
    TaskItem,
    local_today,
)
from tests.builders.tasks import PDF_BYTES, make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def _item_data(area, **extra):
    data = {
        "area": area.pk,
        "title": "上报学习情况",
        "deadline": (local_today() + timedelta(days=20)).isoformat(),
        "scope": "in_service",
        "kind": "report",
    }
    data.update(extra)
    return data


def test_deleting_an_area_of_a_draft_takes_its_parts_and_items(personas):
    item = make_item(make_notice(personas.tree["committee"]))
    area = item.area
    part = TaskArea.objects.create(notice=area.notice, parent=area, number=1, title="细项")
    response = personas.client("office").post(reverse("tasks:area_delete", args=[area.pk]))
    assert response["Location"] == reverse("tasks:notice_detail", args=[area.notice_id])
    assert not TaskArea.objects.filter(pk__in=[area.pk, part.pk]).exists()
    assert not TaskItem.objects.filter(pk=item.pk).exists()
    entry = AuditEntry.objects.get(action=ACTION_AREA_DELETED)
    assert entry.data["area"] == area.pk


def test_deleting_an_item_of_a_draft(personas):
    item = make_item(make_notice(personas.tree["committee"]))
    personas.client("office").post(reverse("tasks:item_delete", args=[item.pk]))
    assert not TaskItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action=ACTION_ITEM_DELETED).count() == 1


def test_a_published_notice_refuses_deletion(personas):
    item = published_item(personas.tree["committee"])
    client = personas.client("office")
    response = client.post(
        reverse("tasks:item_delete", args=[item.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "withdraw the item instead" in response.content.decode()
    response = client.post(
        reverse("tasks:area_delete", args=[item.area_id]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "can no longer be deleted" in response.content.decode()
    assert TaskItem.objects.filter(pk=item.pk).exists()
    assert not AuditEntry.objects.filter(action__in=[ACTION_AREA_DELETED, ACTION_ITEM_DELETED])


def test_another_committees_office_gets_404(personas):
    item = make_item(make_notice(personas.tree["other_committee"]))
    client = personas.client("office")
    assert client.post(reverse("tasks:item_delete", args=[item.pk])).status_code == 404
    assert client.post(reverse("tasks:area_delete", args=[item.area_id])).status_code == 404
    assert TaskItem.objects.filter(pk=item.pk).exists()


def test_blank_numbers_take_the_next_free_number(personas):
    notice = make_notice(personas.tree["committee"])
    client = personas.client("office")
    for title in ("学习", "组织"):
        client.post(reverse("tasks:area_create", args=[notice.pk]), {"title": title})
    first, second = notice.areas.order_by("number")
    assert [first.number, second.number] == [1, 2]
    client.post(
        reverse("tasks:area_create", args=[notice.pk]), {"title": "细项", "parent": second.pk}
    )
    assert notice.areas.get(title="细项").number == 1
    for area in (first, first, second):
        response = client.post(reverse("tasks:item_create", args=[notice.pk]), _item_data(area))
        assert response.status_code == 302, response.context["form"].errors
    labels = list(TaskItem.objects.order_by("id").values_list("label", flat=True))
    assert labels == ["1", "2", "3"]


def test_save_and_add_another_returns_to_an_empty_form(personas):
    notice = make_notice(personas.tree["committee"])
    client = personas.client("office")
    response = client.post(
        reverse("tasks:area_create", args=[notice.pk]), {"title": "学习", "save_and_add": "1"}
    )
    assert response["Location"] == reverse("tasks:area_create", args=[notice.pk])
    area = notice.areas.get()
    response = client.post(
        reverse("tasks:item_create", args=[notice.pk]), _item_data(area, save_and_add="1")
    )
    expected = f"{reverse('tasks:item_create', args=[notice.pk])}?area={area.pk}"
    assert response["Location"] == expected
    page = client.get(expected, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["form"].initial["area"] == str(area.pk)
    assert "Save and add another" in page.content.decode()


def test_copying_a_notice_makes_an_equal_draft_with_deadlines_moved(personas):
    committee = personas.tree["committee"]
    source = make_notice(committee, date=local_today() - timedelta(days=100), introduction="引言")
    fixed = make_item(
        source, deadline=source.date + timedelta(days=20), label="1", instructions="至少一次"
    )
    area = fixed.area
    area.body = "正文"
    area.save()
    part = TaskArea.objects.create(notice=source, parent=area, number=1, title="细项")
    open_ended = make_item(
        source, area_number=2, deadline_rule=DeadlineRule.NONE, subarea=None, label="2"
    )
    TaskItem.objects.filter(pk=open_ended.pk).update(subarea=None)
    TaskItem.objects.filter(pk=fixed.pk).update(subarea=part)
    fixed.files.create(file=SimpleUploadedFile("a.pdf", PDF_BYTES), original_name="表.pdf", size=9)
    NoticeAttachment.objects.create(
        notice=source,
        number=1,
        title="参考",
        item=fixed,
        file=SimpleUploadedFile("b.pdf", PDF_BYTES),
        original_name="参考.pdf",
    )
    response = personas.client("office").post(reverse("tasks:notice_copy", args=[source.pk]))
    copy = Notice.objects.exclude(pk=source.pk).get()
    assert response["Location"] == reverse("tasks:notice_detail", args=[copy.pk])
    assert not copy.is_published and copy.date == local_today()
    assert copy.introduction == "引言" and copy.committee == committee

    def shape(notice):
        areas = [
            (a.number, a.title, a.body, a.parent.number if a.parent else None)
            for a in notice.areas.order_by("parent_id", "number")
        ]
        items = [
            (
                i.label,
                i.title,
                i.instructions,
                i.kind,
                i.scope,
                i.deadline_rule,
                i.area.number,
                i.subarea.title if i.subarea else None,
                i.files.count(),
            )
            for i in TaskItem.objects.filter(area__notice=notice).order_by("label")
        ]
        files = [(a.number, a.title, a.item.label) for a in notice.attachments.all()]
        return areas, items, files

    assert shape(copy) == shape(source)
    new_fixed = TaskItem.objects.get(area__notice=copy, label="1")
    assert new_fixed.deadline == local_today() + timedelta(days=20)
    assert TaskItem.objects.get(area__notice=copy, label="2").deadline is None
    attachment = copy.attachments.get()
    assert attachment.file.name != source.attachments.get().file.name
    assert attachment.file.read() == PDF_BYTES
    entry = AuditEntry.objects.get(action=ACTION_NOTICE_COPIED)
    assert entry.data == {"source": source.pk}


def test_copying_another_committees_notice_is_404(personas):
    source = make_notice(personas.tree["other_committee"])
    response = personas.client("office").post(reverse("tasks:notice_copy", args=[source.pk]))
    assert response.status_code == 404
    assert Notice.objects.count() == 1
