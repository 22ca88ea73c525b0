"""Paragraphs → a proposed notice: header, areas (一、) with sub-areas (（一）), items, 附件.

Items are the numbered or bulleted paragraphs of an area, and the paragraphs that set a
deadline or refer to an attachment (a notice written as prose has its tasks there); the other
paragraphs are the area's text. The 主送/抄送 lines and the signature block (issuing body and
date at the end) are read for the header, never taken as tasks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from django.utils import timezone

from tasks.notice_docx.attachments import (
    Attachment,
    kind_for_title,
    mentions_attachment,
    opens_list,
    parse_attachment_line,
    parse_list_entry,
    referenced_numbers,
)
from tasks.notice_docx.deadlines import (
    DeadlinePhrase,
    chinese_number,
    deadline_of,
    find_deadlines,
    halfwidth,
    mentions_deadline,
)
from tasks.notice_docx.reading import Paragraph

_CN = "一二三四五六七八九十百"
AREA = re.compile(rf"^\s*(?P<n>[{_CN}]{{1,4}})\s*[、.]\s*(?P<title>.*)$")
SUB_AREA = re.compile(rf"^\s*\(\s*(?P<n>[{_CN}]{{1,4}})\s*\)\s*[、.]?\s*(?P<title>.*)$")
NUMBERED = re.compile(
    r"^\s*(?:\(\s*[0-9]{1,3}\s*\)|[0-9]{1,3}\s*[.、)](?![0-9])|[0-9]{1,3}\t|[①-⑳]|[•·●○▪■◆◇►\-–—*])\s*(?P<text>.*)$"
)
ROUTING = re.compile(r"^\s*(?:主送|抄送|报送|发送|分送)\s*[:]")
PRINTED = re.compile(r"印发\s*$")
_DATE = (
    r"(?P<y>[0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*月\s*(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
DATE_LINE = re.compile(rf"^\s*{_DATE}\s*$")
# A signature laid out as a table row: the issuing body's cell, then the date's.
SIGNATURE_ROW = re.compile(rf"^(?P<issuer>[^\t]+?)\t+(?P<date>{_DATE})\s*$")
ISSUE = re.compile(r"第\s*(?P<n>[0-9]{1,4}|[一二三四五六七八九十百]{1,4})\s*期")
DATE_IN_TEXT = re.compile(
    r"(?P<y>[0-9]{4})\s*[-年./]\s*(?P<m>[0-9]{1,2})\s*[-月./]\s*(?P<d>[0-9]{1,2})"
)
ISSUER = re.compile(r"(?:委员会|党委|党总支|总支部|党支部|党组|办公室|党办|纪委|工会|团委)$")
_SENTENCE = re.compile(r"[。；;，,！？!?]")
_YEAR_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}
SHORT = 40


@dataclass
class Item:
    text: str
    phrases: list[DeadlinePhrase] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_phrase: str | None = None
    deliverable: str | None = None
    attachments: list[int] = field(default_factory=list)

    @property
    def no_fixed_deadline(self) -> bool:
        return self.deadline is None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_phrase": self.deadline_phrase,
            "no_fixed_deadline": self.no_fixed_deadline,
            "deliverable": self.deliverable,
            "attachments": self.attachments,
            "phrases": [phrase.as_dict() for phrase in self.phrases],
        }


@dataclass
class Area:
    number: int
    title: str
    paragraphs: list[str] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "areas": [area.as_dict() for area in self.areas],
            "items": [item.as_dict() for item in self.items],
        }


@dataclass
class Draft:
    title: str = ""
    issuer: str = ""
    number: int | None = None
    date: datetime.date | None = None
    introduction: str = ""
    recipients: list[str] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def all_items(self) -> list[Item]:
        items = []
        for area in self.areas:
            items += area.items
            for sub in area.areas:
                items += sub.items
        return items

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "introduction": self.introduction,
            "recipients": self.recipients,
            "areas": [area.as_dict() for area in self.areas],
            "attachments": [attachment.as_dict() for attachment in self.attachments],
        }


def _date(y: str, m: str, d: str) -> datetime.date | None:
    year = "".join(_YEAR_DIGITS.get(ch, ch) for ch in y)
    month, day = chinese_number(m), chinese_number(d)
    try:
        return datetime.date(int(year), month or 0, day or 0)
    except ValueError:
        return None


def _is_label_line(text: str) -> bool:
    return len(text) <= SHORT and not _SENTENCE.search(text)


def _read_header(draft: Draft, header: list[str]) -> None:
    rest, intro = [], []
    for text in header:
        folded = halfwidth(text)
        issue = ISSUE.search(folded)
        when = DATE_IN_TEXT.search(folded) or DATE_LINE.match(folded)
        if (issue or when) and len(text) <= SHORT:
            if issue:
                draft.number = chinese_number(issue.group("n"))
            if when:
                draft.date = _date(when.group("y"), when.group("m"), when.group("d"))
            # "党支部工作提示（第1期）": the title shares the line with the number.
            remainder = "".join(
                ch
                for i, ch in enumerate(text)
                if not any(m and m.start() <= i < m.end() for m in (issue, when))
            )
            remainder = remainder.strip(" \t()（）[]【】,，、:：")
            if len(remainder) >= 2:
                rest.append(remainder)
        elif ROUTING.match(folded):
            draft.recipients.append(text)
        elif _is_label_line(text):
            rest.append(text)
        else:
            intro.append(text)
    titles = [t for t in rest if not ISSUER.search(t)]
    issuers = [t for t in rest if ISSUER.search(t)]
    keyword = [t for t in titles if re.search("提示|通知|要点|安排|计划|意见", t)]
    draft.title = (keyword or titles or [""])[0]
    draft.issuer = issuers[0] if issuers else ""
    draft.introduction = "\n".join(intro)


def _signature_start(texts: list[str], first: int) -> int:
    """Index where the signature block (issuing body, then date line) begins; len(texts) when
    the document does not end with one. The 主送/抄送/印发 lines after it are skipped."""
    index = len(texts) - 1
    while index > first and (
        ROUTING.match(halfwidth(texts[index])) or PRINTED.search(texts[index])
    ):
        index -= 1
    if index <= first or not DATE_LINE.match(halfwidth(texts[index])):
        return len(texts)
    before = index - 1
    if before > first and _is_label_line(texts[before]) and ISSUER.search(texts[before]):
        return before
    return index


def _split_signature_rows(paragraphs: list[Paragraph]) -> list[Paragraph]:
    out = []
    for paragraph in paragraphs:
        row = SIGNATURE_ROW.match(halfwidth(paragraph.full_text)) if paragraph.in_table else None
        if row:
            text = paragraph.full_text
            out.append(Paragraph(text[: row.end("issuer")].strip(), in_table=True))
            out.append(Paragraph(text[row.start("date") :].strip(), in_table=True))
        else:
            out.append(paragraph)
    return out


def build_draft(paragraphs: list[Paragraph], notice_date: datetime.date | None = None) -> Draft:
    draft = Draft()
    paragraphs = _split_signature_rows(paragraphs)
    texts = [p.full_text for p in paragraphs]
    # Heading styles mark the areas only in a document without numbered ones: many offices
    # set the notice's own title in "Heading 1".
    typed = any(AREA.match(halfwidth(text)) for text in texts)
    if typed:
        paragraphs = [replace(p, heading=None) for p in paragraphs]
    first = next(
        (i for i, p in enumerate(paragraphs) if p.heading == 1 or AREA.match(halfwidth(texts[i]))),
        len(paragraphs),
    )
    _read_header(draft, texts[:first])
    sign = _signature_start(texts, first)
    if sign < len(texts):
        for text in texts[sign:]:
            folded = halfwidth(text)
            when = DATE_LINE.match(folded)
            if when and draft.date is None:
                draft.date = _date(when.group("y"), when.group("m"), when.group("d"))
            elif ROUTING.match(folded):
                draft.recipients.append(text)
            elif ISSUER.search(text) and _is_label_line(text) and not draft.issuer:
                draft.issuer = text
    walker = _Walker(draft)
    walker.walk(paragraphs[first:sign])
    # A notice without a date in it is one the office is issuing now.
    _resolve_items(draft, notice_date or draft.date or timezone.localdate(), walker.anchors)
    return draft


class _Walker:
    """Reads the body paragraph by paragraph, keeping the current area, sub-area and item."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.area: Area | None = None
        self.sub: Area | None = None
        self.listing = False  # inside the "附件：" list
        self.anchors: list[tuple[Item, int]] = []

    @property
    def block(self) -> Area:
        if self.area is None:
            self.area = Area(number=1, title="")
            self.draft.areas.append(self.area)
        return self.sub or self.area

    def _attachment(self, number: int, title: str) -> Attachment:
        attachment = Attachment(number, title, kind_for_title(title))
        self.draft.attachments.append(attachment)
        return attachment

    def _anchor(self, number: int) -> None:
        """An attachment line inside an area belongs to the task just before it."""
        if self.area is None:
            return
        block = self.block
        if not block.items and block.paragraphs:
            block.items.append(Item(text=block.paragraphs.pop()))
        if block.items:
            self.anchors.append((block.items[-1], number))

    def walk(self, paragraphs: list[Paragraph]) -> None:
        known: set[int] = set()
        for paragraph in paragraphs:
            raw = paragraph.full_text  # table cells are joined by tabs
            text, folded = raw.replace("\t", " "), halfwidth(raw)
            if ROUTING.match(folded) or PRINTED.search(folded):
                if ROUTING.match(folded):
                    self.draft.recipients.append(text)
                continue
            line = parse_attachment_line(text)
            if line is not None:
                number, title = line
                if number is not None and not title and number in known:
                    return  # "附件1" alone again: the attachment's own pages begin
                if number is None and not title:
                    self.listing = True
                    continue
                number = number if number is not None else len(self.draft.attachments) + 1
                self._attachment(number, title)
                known.add(number)
                self.listing = self.listing or opens_list(text) or self.area is None
                if not self.listing:
                    self._anchor(number)
                continue
            if self.listing:
                entry = parse_list_entry(text)
                if entry is not None:
                    self._attachment(*entry)
                    known.add(entry[0])
                    continue
                self.listing = False
            area = AREA.match(folded)
            if area or paragraph.heading == 1:
                number = chinese_number(area.group("n")) if area else None
                title = text[area.start("title") :].strip() if area else text
                self.area = Area(number or len(self.draft.areas) + 1, title)
                self.sub = None
                self.draft.areas.append(self.area)
                continue
            sub = SUB_AREA.match(folded)
            if sub or paragraph.heading == 2:
                parent = self.block if self.area is None else self.area
                number = chinese_number(sub.group("n")) if sub else None
                title = text[sub.start("title") :].strip() if sub else text
                self.sub = Area(number or len(parent.areas) + 1, title)
                parent.areas.append(self.sub)
                continue
            numbered = NUMBERED.match(folded)
            if paragraph.label or numbered:
                body = paragraph.text if paragraph.label else raw[numbered.start("text") :]
                self.block.items.append(Item(text=body.replace("\t", " ").strip()))
                continue
            if mentions_deadline(text) or mentions_attachment(text, self.draft.attachments):
                self.block.items.append(Item(text=text))
                continue
            self.block.paragraphs.append(text)


def _resolve_items(
    draft: Draft, notice_date: datetime.date, anchors: list[tuple[Item, int]]
) -> None:
    """Dates for the deadline phrases; the attachments each item refers to, by its text or by
    the attachment line that follows it, and the deliverable the first form among them sets."""
    by_number = {attachment.number: attachment for attachment in draft.attachments}
    anchored: dict[int, list[int]] = {}
    for item, number in anchors:
        anchored.setdefault(id(item), []).append(number)
    for item in draft.all_items():
        item.phrases = find_deadlines(item.text, notice_date)
        chosen = deadline_of(item.phrases)
        if chosen is not None:
            item.deadline, item.deadline_phrase = chosen.date, chosen.text
        numbers = referenced_numbers(item.text, draft.attachments) + anchored.get(id(item), [])
        item.attachments = list(dict.fromkeys(numbers))
        forms = [by_number[n].deliverable for n in item.attachments if by_number[n].deliverable]
        item.deliverable = forms[0] if forms else None
