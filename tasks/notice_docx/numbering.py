"""The numbers Word displays for automatically numbered paragraphs (``numPr``).

Word stores only "numbering instance N, level L" on a paragraph; the number shown is computed
from the definitions in numbering.xml: each level's start, format (decimal, chineseCounting, …),
text pattern ("%1、", "（%2）") and restart rule, counted through the document in order.
Instances of one abstract definition share their counters, as in Word, unless an instance
overrides a level's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
MAX_LEVELS = 9


def chinese_counting(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word counts up to 999)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + hundred
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    if ones:
        out += digits[ones]
    return out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz, aaa …; a hostile start value stays a number.
    if n <= 0 or n > 26 * 10:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, _CN_LEGAL, "拾", "佰")
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _ZODIAC[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(n)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # None: after any higher level; 0: never; k: after level k


@dataclass
class _Instance:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _read_level(lvl) -> tuple[int, Level]:
    restart = _val(lvl, "w:lvlRestart")
    return _int(lvl.get(qn("w:ilvl")), 0), Level(
        start=_int(_val(lvl, "w:start"), 1),
        fmt=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "",
        restart=None if restart is None else _int(restart, 0),
    )


class Numbering:
    """Counts the automatic numbers of one document, paragraph after paragraph."""

    def __init__(self, root=None):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, _Instance] = {}
        self.counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = dict(_read_level(lvl) for lvl in abstract.iterchildren(qn("w:lvl")))
            self.abstracts[abstract.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.iterchildren(qn("w:num")):
            instance = _Instance(_val(num, "w:abstractNumId") or "")
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                start = _val(override, "w:startOverride")
                if start is not None:
                    instance.start_overrides[ilvl] = _int(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = _read_level(lvl)[1]
            self.instances[num.get(qn("w:numId")) or ""] = instance

    def _level(self, instance: _Instance, ilvl: int) -> Level | None:
        return instance.levels.get(ilvl) or self.abstracts.get(instance.abstract, {}).get(ilvl)

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """The label shown for the next paragraph of instance ``num_id`` at level ``ilvl`` and
        whether it is a bullet; None when the paragraph is not numbered (numId 0, unknown)."""
        instance = self.instances.get(num_id)
        if instance is None or not 0 <= ilvl < MAX_LEVELS:
            return None
        level = self._level(instance, ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(instance.abstract, [None] * MAX_LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for overridden in instance.start_overrides:
                if 0 <= overridden < MAX_LEVELS:
                    counters[overridden] = None
        current = counters[ilvl]
        if current is None:
            current = instance.start_overrides.get(ilvl, level.start)
        else:
            current += 1
        counters[ilvl] = current
        for deeper in range(ilvl + 1, MAX_LEVELS):
            deeper_level = self._level(instance, deeper)
            restart = deeper_level.restart if deeper_level else None
            if restart is None or (restart and ilvl <= restart - 1):
                counters[deeper] = None
        if level.fmt == "bullet":
            return "•", True
        label = level.text
        for k in range(MAX_LEVELS, 0, -1):
            marker = f"%{k}"
            if marker in label:
                other = self._level(instance, k - 1) or level
                value = counters[k - 1]
                if value is None:
                    value = other.start
                label = label.replace(marker, format_number(value, other.fmt))
        return label, False
