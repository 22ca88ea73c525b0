"""Deadline phrases of a notice's Chinese text, turned into dates.

Pure functions: nothing here reads the clock or the database. A month or day is read relative to
the notice's date: a month already past in the notice's year means next year ("1月底前" in a
notice of October is next January). Phrases without a date ("及时", "年度考核前") are returned
too, with ``date=None``, so the office sees the item has no fixed deadline. Positions index the
text exactly as given (full-width characters are folded one for one, so offsets never shift).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

# Full-width ASCII (U+FF01–FF5E) and the ideographic space, folded one character for one.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}


def halfwidth(text: str) -> str:
    """``text`` with full-width letters, digits and punctuation as ASCII; same length."""
    return text.translate(_HALFWIDTH)


def chinese_number(token: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 三十一 → 31, 一百零二 → 102, "12" → 12; None otherwise."""
    token = halfwidth(token.strip())
    if token.isascii() and token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_DIGITS and ch not in "十百" for ch in token):
        return None
    total, current = 0, 0
    for ch in token:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


@dataclass(frozen=True)
class DeadlinePhrase:
    start: int
    end: int
    text: str
    date: datetime.date | None

    @property
    def fixed(self) -> bool:
        return self.date is not None

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
        }


_NUM = r"[0-9]{1,4}|[〇零一二两三四五六七八九十]{1,4}"
_BEFORE = r"\s*(?:之前|以前|前)"


def _year_re(prefix: str) -> str:
    return rf"(?:(?:(?P<{prefix}year>[0-9]{{4}})\s*年|(?P<{prefix}rel>今|本|明|下)年(?:度)?)\s*)?"


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS |= {str(n): n - 1 for n in range(1, 8)}
_UNDATED_WORDS = "及时|尽快|尽早|第一时间|按时|按期|适时|定期"
_EVENTS = "考核|总结|评议|述职|组织生活会|民主生活会|换届|验收|检查"

_PATTERN = re.compile(
    "|".join(
        (
            # 10月31日前, 2022年12月20日前, 十二月二十日前; 截至11月20日
            rf"(?P<day>{_year_re('d')}(?P<dmonth>{_NUM})\s*月\s*(?P<dday>{_NUM})\s*[日号]"
            rf"(?:{_BEFORE}))",
            rf"(?P<cutoff>(?:截止|截至)(?:到|至)?\s*{_year_re('c')}"
            rf"(?P<cmonth>{_NUM})\s*月\s*(?P<cday>{_NUM})\s*[日号])",
            # 11月底前, 11月上旬前, 明年1月中旬前
            rf"(?P<part>{_year_re('p')}(?P<pmonth>{_NUM})\s*月\s*(?P<ppart>底|末|上旬|中旬|下旬)"
            rf"{_BEFORE})",
            # 年底前, 2022年底前, 年末前
            rf"(?P<yearend>(?:(?P<yyear>[0-9]{{4}})\s*|(?P<yrel>今|本|明|下))?年\s*(?:底|末){_BEFORE})",
            # 月底前, 本月底前
            rf"(?P<monthend>(?:本|当|这个)?月\s*(?:底|末){_BEFORE})",
            # 本周五前, 下周一前
            rf"(?P<week>(?P<wrel>本|这|下)\s*(?:周|星期|礼拜)\s*(?P<wday>[一二三四五六日天1-7]){_BEFORE})",
            # 年度考核前, 组织生活会前: before an event, no date
            rf"(?P<event>(?:年度|年终|季度|支部|本次)?(?:{_EVENTS}){_BEFORE})",
            rf"(?P<within>(?:收到|下发|印发)?[^。，；\s]{{0,6}}后\s*(?:{_NUM})\s*个?(?:工作日|日|天)内)",
            rf"(?P<undated>{_UNDATED_WORDS})",
        )
    )
)


def _year(notice: datetime.date, explicit: str | None, relative: str | None, month: int) -> int:
    if explicit:
        return int(explicit)
    if relative in ("明", "下"):
        return notice.year + 1
    if relative in ("今", "本"):
        return notice.year
    return notice.year + 1 if month < notice.month else notice.year


def _safe_date(year: int, month: int | None, day: int | None) -> datetime.date | None:
    if month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 2月30日, a year out of range: flagged as undated
        return None


def _month_end(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12 or not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _resolve(match: re.Match, notice: datetime.date) -> datetime.date | None:
    group = match.lastgroup
    g = match.group
    if group in ("day", "cutoff"):
        p = "d" if group == "day" else "c"
        month, day = chinese_number(g(f"{p}month")), chinese_number(g(f"{p}day"))
        if month is None:
            return None
        return _safe_date(_year(notice, g(f"{p}year"), g(f"{p}rel"), month), month, day)
    if group == "part":
        month = chinese_number(g("pmonth"))
        if month is None:
            return None
        year = _year(notice, g("pyear"), g("prel"), month)
        part = g("ppart")
        if part in ("上旬", "中旬"):
            return _safe_date(year, month, 10 if part == "上旬" else 20)
        return _month_end(year, month)
    if group == "yearend":
        year = _year(notice, g("yyear"), g("yrel"), 12)
        return _safe_date(year, 12, 31)
    if group == "monthend":
        return _month_end(notice.year, notice.month)
    if group == "week":
        monday = notice - datetime.timedelta(days=notice.weekday())
        if g("wrel") == "下":
            monday += datetime.timedelta(days=7)
        try:
            return monday + datetime.timedelta(days=_WEEKDAYS[g("wday")])
        except OverflowError:
            return None
    return None


def find_deadlines(text: str, notice_date: datetime.date) -> list[DeadlinePhrase]:
    """Every deadline phrase of ``text`` in order, with the date it means (None: no date)."""
    folded = halfwidth(text)
    phrases = []
    for match in _PATTERN.finditer(folded):
        try:
            when = _resolve(match, notice_date)
        except OverflowError:  # a date next to datetime.MAXYEAR
            when = None
        phrases.append(
            DeadlinePhrase(match.start(), match.end(), text[match.start() : match.end()], when)
        )
    return phrases


def mentions_deadline(text: str) -> bool:
    return _PATTERN.search(halfwidth(text)) is not None


def deadline_of(phrases: list[DeadlinePhrase]) -> DeadlinePhrase | None:
    """The phrase that sets an item's deadline: its first dated one, else its first undated."""
    dated = [phrase for phrase in phrases if phrase.fixed]
    if dated:
        return dated[0]
    return phrases[0] if phrases else None
