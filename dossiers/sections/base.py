"""What every section of the dossier is: its key, its heading and the function that writes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Chinese numerals of the section headings (一、二、…), as official documents number them.
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    write: Callable[..., None]


def numbered(index: int, title: Any) -> str:
    """The heading of the ``index``-th section (0-based): "一、支部基本情况…"."""
    numeral = NUMERALS[index] if index < 10 else f"十{NUMERALS[index - 10]}"
    return f"{numeral}、{title}"
