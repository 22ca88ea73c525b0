"""The preview of a notice read from Word: the document beside the proposed draft; the office
corrects it and saves a draft notice. Nothing is saved before, and only what was confirmed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from tasks import pending_docx
from tasks.audit_actions import ACTION_NOTICE_IMPORTED
from tasks.models import DeadlineRule, Notice, NoticeAttachment, TaskArea, TaskItem
from tests.builders.notice_import import (
    form_values,
    pending_tokens,
    preview_url,
    preview_values,
    small_notice_docx,
    upload,
)
from tests.clock import WORKDAY_MORNING
from tests.tasks.notice_docx.builders import seed_docx
from tests.test_bad_input import HOSTILE_TEXTS, SCRIPT, FormParser, hostile_payload

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)
d = datetime.date


@pytest.fixture
def office(personas):
    return personas.client("office")


def _nothing_saved():
    assert not Notice.objects.exists()
    assert not TaskArea.objects.exists() and not TaskItem.objects.exists()
    assert not NoticeAttachment.objects.exists()


def test_the_preview_shows_the_document_beside_the_draft(office):
    url = preview_url(upload(office, seed_docx(), "第3期工作提示.docx"))
    response = office.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    # the document side: deadline phrases marked with the date they became
    assert '<mark class="deadline-phrase" title="2022-10-31">10月底前</mark>' in page
    assert '<mark class="deadline-phrase deadline-open" title="No date">及时</mark>' in page
    assert "年度考核前" in page
    # the draft side: header, areas, sub-areas, items, attachments
    values = form_values(page)
    assert values["notice-title"] == "党支部工作提示"
    assert values["notice-issue_number"] == "3"
    assert values["notice-date"] == "2022-10-18"
    assert values["notice-year"] == "2022"
    assert values["area-0-title"] == "深入开展党的二十大精神学习宣贯工作"
    assert "深入开展“一支部一品牌”创建活动" in values.values()
    assert values["item-0-deadline"] == "2022-10-31"
    assert values["item-0-deadline_rule"] == DeadlineRule.FIXED
    assert values["item-1-kind"] == "rectification"
    assert values["attachment-4-form_kind"] == ""  # a reference document
    assert "no date in the text: check the deadline" in page
    _nothing_saved()


def test_save_creates_the_draft_with_everything_read(office, personas):
    document = seed_docx()  # built once: a zip's entries carry the time they were written
    url = preview_url(upload(office, document, "第3期工作提示.docx"))
    values = preview_values(office, url)
    response = office.post(url, values)
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:notice_detail", args=[notice.pk])
    assert (notice.year, notice.issue_number, notice.date) == (2022, 3, d(2022, 10, 18))
    assert notice.title == "党支部工作提示"
    assert notice.committee == personas.tree["committee"]
    assert notice.created_by == personas.user("office")
    assert not notice.is_published
    top = list(notice.areas.top_level().order_by("number"))
    assert [a.number for a in top] == [1, 2, 3, 4, 5, 6, 7]
    assert top[0].body.startswith("各党支部要将学习贯彻党的二十大精神")
    assert [(p.number, p.title) for p in top[4].subareas.order_by("number")] == [
        (1, "深入开展“一支部一品牌”创建活动"),
        (2, "开展“四强·星级”党支部评估工作"),
        (3, "坚持落实好“三会一课”制度"),
    ]
    items = list(TaskItem.objects.filter(area__notice=notice).order_by("id"))
    assert len(items) == 9
    first = items[0]
    assert (first.deadline_rule, first.deadline, first.kind) == ("fixed", d(2022, 10, 31), "report")
    assert first.instructions.startswith("各党支部于10月底前至少组织一次学习交流活动")
    assert (
        first.title == "各党支部于10月底前至少组织一次学习交流活动，并及时将学习研讨情况上报至党办"
    )
    rectification = items[1]
    assert rectification.kind == "rectification" and rectification.area.number == 2
    survey = items[2]  # "及时": no fixed deadline
    assert (survey.deadline_rule, survey.deadline, survey.kind) == ("none", None, "service_survey")
    brand = items[3]
    assert brand.subarea.title == "深入开展“一支部一品牌”创建活动" and brand.area == top[4]
    meeting = items[6]  # 年度考核前: tied to the annual rating
    assert (meeting.deadline_rule, meeting.deadline) == (DeadlineRule.BEFORE_RATING, None)
    attachments = list(notice.attachments.order_by("number"))
    assert [(a.number, a.form_kind, a.item_id) for a in attachments] == [
        (1, "rectification", rectification.pk),
        (2, "service_survey", survey.pk),
        (3, "brand_plan", brand.pk),
        (4, "star_self_assessment", items[5].pk),
        (5, "", items[8].pk),  # the reference document, to upload
    ]
    assert not attachments[4].file
    # the original file, kept and downloadable
    assert notice.source_name == "第3期工作提示.docx"
    with notice.source_file.open("rb") as stored:
        assert stored.read() == document
    download = office.get(reverse("tasks:notice_source", args=[notice.pk]))
    assert b"".join(download.streaming_content) == document
    entry = AuditEntry.objects.get(action=ACTION_NOTICE_IMPORTED)
    assert entry.data["items"] == 9 and entry.data["source"] == "第3期工作提示.docx"
    # the upload has left the pending area
    assert pending_tokens(office) == []
    assert office.get(url).status_code == 302


def test_a_corrected_deadline_and_a_removed_item_are_honoured(office):
    url = preview_url(upload(office, small_notice_docx()))
    values = preview_values(office, url)
    assert values["item-0-deadline"] == "2022-10-31"
    values["item-0-deadline"] = "2022-11-04"
    values["item-0-title"] = "组织一次学习交流活动"
    del values["item-2-keep"]  # "及时整改": not a task of its own
    values["attachment-1-title"] = "组织关系管理通知"
    office.post(url, values)
    notice = Notice.objects.get()
    assert notice.issue_number == 5
    items = list(TaskItem.objects.filter(area__notice=notice).order_by("id"))
    assert [(i.title, i.deadline, i.kind) for i in items] == [
        ("组织一次学习交流活动", d(2022, 11, 4), "report"),
        (
            "各党支部于11月20日前完善《“一支部一品牌”创建计划表》（附件1），并报送至党办",
            d(2022, 11, 20),
            "brand_plan",
        ),
    ]
    assert items[1].subarea.title == "一支部一品牌"
    assert not TaskItem.objects.filter(instructions__contains="及时整改").exists()
    # the sub-area whose only item was removed stays, with its text
    assert notice.areas.filter(title="三会一课").exists()
    assert [(a.number, a.title, a.form_kind) for a in notice.attachments.order_by("number")] == [
        (1, "“一支部一品牌”创建计划表", "brand_plan"),
        (2, "组织关系管理通知", ""),
    ]


def test_a_removed_area_goes_with_its_sub_areas_and_items(office):
    url = preview_url(upload(office, small_notice_docx()))
    values = preview_values(office, url)
    del values["area-1-keep"]
    office.post(url, values)
    notice = Notice.objects.get()
    assert list(notice.areas.values_list("title", flat=True)) == ["学习宣贯工作"]
    assert TaskItem.objects.count() == 1
    # the attachment stays, no longer tied to a removed item
    assert notice.attachments.get(number=1).item is None


def test_a_form_attachment_and_its_item_agree_on_the_kind(office):
    url = preview_url(upload(office, small_notice_docx()))
    values = preview_values(office, url)
    assert (values["item-1-kind"], values["attachment-0-item"]) == ("brand_plan", "1")
    values["item-1-kind"] = "report"
    response = office.post(url, values, HTTP_ACCEPT_LANGUAGE="en")
    assert "Attachment 1 is the form" in response.content.decode()
    _nothing_saved()
    values["attachment-0-item"] = ""  # the office keeps the item a report: the form stands alone
    assert office.post(url, values).status_code == 302
    notice = Notice.objects.get()
    assert notice.attachments.get(number=1).item is None
    assert TaskItem.objects.get(label="2").kind == "report"


def test_errors_are_shown_and_nothing_is_saved(office):
    url = preview_url(upload(office, small_notice_docx()))
    values = preview_values(office, url)
    values["item-0-deadline"] = ""  # a fixed deadline without its date
    values["item-1-title"] = ""
    values["notice-date"] = "9999-01-01"
    response = office.post(url, values, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "A fixed deadline needs a date." in page
    assert "Give the item a title, or mark it as not a task." in page
    _nothing_saved()
    # corrected, it saves
    values = form_values(page)
    values.update({"item-0-deadline": "2022-10-31", "item-1-title": "品牌计划"})
    values["notice-date"] = "2022-10-18"
    assert office.post(url, values).status_code == 302
    assert TaskItem.objects.filter(title="品牌计划").exists()


def test_an_issue_the_committee_already_has_is_refused(office, personas):
    Notice.objects.create(
        committee=personas.tree["committee"],
        year=2022,
        issue_number=5,
        date=d(2022, 9, 1),
        title="已有",
    )
    url = preview_url(upload(office, small_notice_docx()))
    response = office.post(url, preview_values(office, url), HTTP_ACCEPT_LANGUAGE="en")
    assert "The committee already has issue 5 of 2022." in response.content.decode()
    assert Notice.objects.count() == 1


def test_structure_cannot_be_added_by_the_browser(office):
    url = preview_url(upload(office, small_notice_docx()))
    values = preview_values(office, url)
    values.update(
        {
            "item-9-keep": "on",
            "item-9-title": "偷加",
            "item-9-kind": "report",
            "item-9-deadline_rule": "none",
            "area-7-keep": "on",
            "area-7-title": "偷加",
        }
    )
    office.post(url, values)
    assert TaskItem.objects.count() == 3
    assert not TaskItem.objects.filter(title="偷加").exists()
    assert not TaskArea.objects.filter(title="偷加").exists()


def test_discard_deletes_the_upload_and_saves_nothing(office, settings):
    url = preview_url(upload(office, small_notice_docx()))
    [token] = pending_tokens(office)
    assert (settings.MEDIA_ROOT / pending_docx.FOLDER / f"{token}.docx").exists()
    response = office.post(url, {"discard": "1"})
    assert response["Location"] == reverse("tasks:notice_list")
    assert not (settings.MEDIA_ROOT / pending_docx.FOLDER / f"{token}.docx").exists()
    assert pending_tokens(office) == []
    _nothing_saved()


def test_the_token_is_bound_to_the_uploader_s_session(office, personas):
    url = preview_url(upload(office, small_notice_docx()))
    other_session = personas.client("office")  # the same person, another browser
    response = other_session.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:notice_import")
    assert other_session.post(url, preview_values(office, url)).status_code == 302
    _nothing_saved()
    assert personas.client("secretary_a").get(url).status_code == 404


def test_an_upload_expires(office, settings):
    settings.NOTICE_DOCX_PENDING_MINUTES = 10  # shorter than the session's idle time
    url = preview_url(upload(office, small_notice_docx()))
    [token] = pending_tokens(office)
    later = timezone.now() + datetime.timedelta(minutes=settings.NOTICE_DOCX_PENDING_MINUTES + 1)
    with time_machine.travel(later):
        response = office.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "is no longer waiting" in response.content.decode()
    assert not (settings.MEDIA_ROOT / pending_docx.FOLDER / f"{token}.docx").exists()
    _nothing_saved()


def test_the_sweep_deletes_abandoned_uploads(office, settings):
    upload(office, small_notice_docx())
    [token] = pending_tokens(office)
    stored = default_storage.get_modified_time(f"{pending_docx.FOLDER}/{token}.docx")
    kept = datetime.timedelta(minutes=settings.NOTICE_DOCX_PENDING_MINUTES)
    assert pending_docx.sweep(now=stored + kept - datetime.timedelta(minutes=1)) == 0
    assert pending_docx.sweep(now=stored + kept + datetime.timedelta(minutes=1)) == 1
    assert not list((settings.MEDIA_ROOT / pending_docx.FOLDER).iterdir())


@pytest.mark.parametrize("label", sorted(HOSTILE_TEXTS))
def test_hostile_values_never_break_the_preview(office, label):
    url = preview_url(upload(office, small_notice_docx()))
    parser = FormParser()
    parser.feed(office.get(url).content.decode())
    [form] = [f for f in parser.forms if not f["action"]]
    response = office.post(url, hostile_payload(form["fields"], HOSTILE_TEXTS[label]))
    assert response.status_code in (200, 302)
    page = office.get(url) if response.status_code == 200 else office.get(response["Location"])
    assert SCRIPT not in page.content.decode()
