"""The office's notice page shows the notice as issued: 一、…七、 with their text,
五's (一)(二)(三), each item's instructions, and the attachments, 附件5 as a reference document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tasks.demo import create_notice
from tasks.models.notices import TaskArea, chinese_number
from tests.builders.tasks import make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read the pages' English msgids (the Chinese comes from the catalogue)."""
    settings.LANGUAGE_CODE = "en"


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 5, 7, 10, 12, 20, 35)] == [
        "一",
        "五",
        "七",
        "十",
        "十二",
        "二十",
        "三十五",
    ]
    assert chinese_number(120) == "120"


def test_areas_number_themselves_in_chinese_unless_typed(personas):
    notice = make_notice(personas.tree["committee"])
    five = TaskArea.objects.create(notice=notice, number=5, title="基层组织建设")
    part = TaskArea.objects.create(notice=notice, parent=five, number=2, title="星级评估")
    typed = TaskArea.objects.create(notice=notice, number=6, heading="第六，", title="党员发展")
    assert (five.numbering, part.numbering, typed.numbering) == ("五、", "（二）", "第六，")
    # A sub-area may share its number with a top-level area.
    TaskArea.objects.create(notice=notice, number=1, title="学习")
    TaskArea.objects.create(notice=notice, parent=five, number=1, title="品牌")


def test_the_notice_page_shows_the_seed_structure(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = create_notice(personas.tree["committee"])
    html = (
        personas.client("office")
        .get(reverse("tasks:notice_detail", args=[notice.pk]))
        .content.decode()
    )
    positions = [html.index(f"{n}、") for n in "一二三四五六七"]
    assert positions == sorted(positions)
    assert "1. 深入开展" not in html
    parts = [html.index(p) for p in ("（一）", "（二）", "（三）")]
    assert positions[4] < parts[0] < parts[1] < parts[2] < positions[5]
    assert "坚持落实好“三会一课”制度" in html
    assert "评估目标" in html and "弘扬“新时代胰岛素精神”" in html  # bodies and instructions
    assert "年度考核前党支部书记应向联系本支部的党委委员" in html
    assert "No fixed deadline" in html
    attachments = html[html.index('id="attachments"') :]
    for n in range(1, 6):
        assert f"Attachment {n}" in attachments
    fifth = attachments[attachments.index("Attachment 5") :]
    assert "规范党员组织关系管理的通知" in fifth and "Reference document" in fifth
    assert reverse("tasks:notice_attachment", args=[notice.attachments.get(number=5).pk]) in fifth


def test_the_kind_column_names_the_deliverable_never_its_key(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice = create_notice(personas.tree["committee"])
    html = (
        personas.client("office")
        .get(reverse("tasks:notice_detail", args=[notice.pk]))
        .content.decode()
    )
    assert "Rectification list (attachment 1)" in html
    for key in ("rectification", "service_survey", "brand_plan", "compliance_self_check"):
        assert f"<td>{key}</td>" not in html
    # The form attachments link their blank Excel form.
    first = notice.attachments.get(number=1)
    assert reverse("tasks:notice_attachment_template", args=[first.pk]) in html
