"""Words a Party office uses (附件1–2) and one verb for handing work in (报送)."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from surveys.models import Concern
from surveys.sheets.rectification import RectificationKind
from surveys.sheets.service_survey import ServiceSurveyExporter

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"


def test_service_survey_words_are_the_notice_s():
    with translation.override("zh-hans"):
        assert str(Concern.Category.ADMIN.label) == "管理服务"
        assert str(Concern.Handling.DEADLINE.label) == "限期办"
        headers = [str(c.header) for c in ServiceSurveyExporter.columns]
        assert "调研时间" in headers and "日期" not in headers


def test_rectification_rows_are_problems():
    with translation.override("zh-hans"):
        label = str(RectificationKind.row_label)
        assert "问题" in label and "任务" not in label


def test_handing_in_is_always_baosong():
    """报送 is the one verb for a branch handing its work to the office; 提交 appears only where it
    means the browser sending a form (the security-token and database-outage pages)."""
    uses = [
        e.msgid
        for e in polib.pofile(str(CATALOGUE))
        if "提交" in e.msgstr or any("提交" in s for s in e.msgstr_plural.values())
    ]
    assert sorted(uses) == [
        "For your security the form could not be accepted (its security token was missing or "
        "out of date). Go back, reload the page and send it again; nothing was saved.",
        "The portal cannot reach its database for a moment (it may be restarting). "
        "What you sent in this request may not have been saved: wait a few seconds, "
        "check, and try again.",
    ]
