"""The notice's attachments (附件) and the deliverable kinds they stand for.

An attachment whose title names one of the portal's forms becomes that deliverable kind; any
other attachment is a reference document the office uploads with the notice. The keys are the
ones registered by tasks/kinds, surveys and ratings (a test checks they all exist).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.notice_docx.deadlines import chinese_number, halfwidth

# (kind key, words that must all appear in the normalised title), first match wins.
KIND_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rectification", ("整改", "举措")),
    ("rectification", ("整改", "问题")),
    ("service_survey", ("办实事",)),
    ("brand_plan", ("品牌", "计划")),
    ("brand_plan", ("品牌", "创建")),
    ("star_self_assessment", ("星级", "自评")),
)

_STRIP = re.compile(r"[\s《》〈〉“”‘’\"'`·・•「」『』]")
# "附件1:《…》", "附件 2：…", "附件一、…", "附件:" alone (a list follows), "附件：1.《…》".
ATTACHMENT_LINE = re.compile(
    r"^\s*附\s*件\s*(?P<number>[0-9]{1,3}|[一二三四五六七八九十]{1,3})?\s*"
    r"(?P<sep>[:、.]\s*|\s+|$)(?P<rest>.*)$"
)
_LEADING_NUMBER = re.compile(r"^\s*(?P<number>[0-9]{1,3})\s*[.、)]\s*(?P<title>.+)$")
# "（附件1）", "见附件2", "附件3、4" in running text.
REFERENCE = re.compile(r"附\s*件\s*(?P<numbers>[0-9]{1,3}(?:\s*[、,和及与-]\s*[0-9]{1,3})*)")
_TITLE_QUOTE = re.compile(r"《(?P<title>[^《》]{2,80})》")


@dataclass
class Attachment:
    number: int
    title: str
    deliverable: str | None

    def as_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "deliverable": self.deliverable}


def normalise_title(title: str) -> str:
    return _STRIP.sub("", halfwidth(title))


def kind_for_title(title: str) -> str | None:
    """The deliverable kind an attachment's title names, or None for a reference document."""
    plain = normalise_title(title)
    for key, words in KIND_KEYWORDS:
        if all(word in plain for word in words):
            return key
    return None


def clean_title(text: str) -> str:
    """An attachment's title without its wrapping 《》 and surrounding spaces."""
    text = text.strip().rstrip("。;；")
    if text.startswith("《") and text.endswith("》") and text.count("《") == 1:
        text = text[1:-1]
    return text.strip()


def parse_attachment_line(text: str) -> tuple[int | None, str] | None:
    """(number, title) of a "附件N: title" line; (None, "") for a bare "附件:" heading that
    opens a list; None when the paragraph is no attachment line. "附件：1.《…》" gives (1, …)."""
    match = ATTACHMENT_LINE.match(halfwidth(text))
    if not match:
        return None
    rest = text[match.start("rest") :].strip()
    number = chinese_number(match.group("number")) if match.group("number") else None
    if number is None:
        if not match.group("sep").strip() and rest:
            return None  # "附件材料请…": a sentence, not a line of the list
        listed = _LEADING_NUMBER.match(halfwidth(rest))
        if listed:
            return int(listed.group("number")), clean_title(rest[listed.start("title") :])
        return (None, clean_title(rest)) if rest else (None, "")
    return number, clean_title(rest)


def opens_list(text: str) -> bool:
    """Whether the line is the "附件：" heading of a list (numbered entries may follow)."""
    match = ATTACHMENT_LINE.match(halfwidth(text))
    return bool(match) and not match.group("number")


def parse_list_entry(text: str) -> tuple[int, str] | None:
    """(number, title) of a "1.《…》" line of the list that follows a bare "附件:"."""
    listed = _LEADING_NUMBER.match(halfwidth(text))
    if not listed:
        return None
    return int(listed.group("number")), clean_title(text[listed.start("title") :])


def referenced_numbers(text: str, attachments: list[Attachment]) -> list[int]:
    """The attachments ``text`` refers to: by number ("（附件1）") or by quoting a title."""
    found: list[int] = []
    folded = halfwidth(text)
    for match in REFERENCE.finditer(folded):
        for number in re.findall(r"[0-9]{1,3}", match.group("numbers")):
            found.append(int(number))
    titles = {normalise_title(a.title): a.number for a in attachments if a.title}
    for match in _TITLE_QUOTE.finditer(text):
        quoted = normalise_title(match.group("title"))
        for title, number in titles.items():
            if quoted and (quoted == title or quoted in title or title in quoted):
                found.append(number)
    known = {a.number for a in attachments}
    return list(dict.fromkeys(n for n in found if n in known))


def mentions_attachment(text: str, attachments: list[Attachment]) -> bool:
    """Whether ``text`` refers to an attachment, by number (even one not listed yet: the list
    usually comes at the end) or by one of the known titles."""
    return REFERENCE.search(halfwidth(text)) is not None or bool(
        referenced_numbers(text, attachments)
    )
