"""Composing a notice from Word in tests: a small notice built with python-docx, the upload, and
the preview form's fields as the browser would send them back."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.pending_docx import SESSION_KEY

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Paragraphs of a short notice: two areas, a sub-area, three tasks and two attachments.
SMALL_NOTICE = (
    "中共测试委员会",
    "党支部工作提示",
    "（第5期，2022-10-18）",
    "现就近期党支部主要工作提示如下：",
    "一、学习宣贯工作",
    "各党支部要深入学习。",
    "各党支部于10月底前至少组织一次学习交流活动，并将学习研讨情况上报至党办。",
    "二、基层组织建设",
    "（一）一支部一品牌",
    "各党支部于11月20日前完善《“一支部一品牌”创建计划表》（附件1），并报送至党办。",
    "（二）三会一课",
    "各支部要对照手册自查，并及时整改。",
    "附件：1.《“一支部一品牌”创建计划表》",
    "2.《关于规范党员组织关系管理的通知》",
)


def small_notice_docx(paragraphs=SMALL_NOTICE) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "第5期工作提示.docx", language: str = "en"):
    document = SimpleUploadedFile(name, data, content_type=DOCX_CONTENT_TYPE)
    return client.post(
        reverse("tasks:notice_import"), {"document": document}, HTTP_ACCEPT_LANGUAGE=language
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.status_code
    return response["Location"]


def pending_tokens(client) -> list[str]:
    return list(client.session.get(SESSION_KEY, {}))


class _FormFields(HTMLParser):
    """The values a browser sends for the form ``form_id``: inputs, checked boxes, selected
    options and textareas (buttons left out)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag not in ("option",):
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value") or "on"
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in a:
                self.values[self.select] = value
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            self.values.setdefault(self.select, self.first_option or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            if not self.values[self.textarea]:
                data = re.sub(r"^\r?\n", "", data)  # Django's newline after <textarea>
            self.values[self.textarea] += data


def form_values(html: str, form_id: str = "import-form") -> dict[str, str]:
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.values


def preview_values(client, url: str) -> dict[str, str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.status_code
    return form_values(response.content.decode())
