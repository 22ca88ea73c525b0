"""The sections of the dossier, in the order an inspection reads it.

Each module holds one ``Section``: its heading and the function that writes it from the loaded
``DossierData``. The cover and contents come first (``cover.py``), then ``SECTIONS`` in order.
The Party dues summary belongs after the membership relations: the dues app adds its section
there (``SECTIONS.insert(SECTIONS.index(relations.SECTION) + 1, dues.SECTION)``).
"""

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


def sections() -> list[Section]:
    # Imported here: the section modules import this module for ``Section``.
    from dossiers.sections import (  # noqa: PLC0415
        basics,
        compliance,
        development,
        life,
        meetings,
        notices,
        relations,
        roster,
        stars,
    )

    return [
        basics.SECTION,
        roster.SECTION,
        compliance.SECTION,
        meetings.SECTION,
        life.SECTION,
        development.SECTION,
        relations.SECTION,
        # The Party dues summary goes here (see the module docstring).
        notices.SECTION,
        stars.SECTION,
    ]
