"""The sections of the dossier, in the order an inspection reads it.

Each module holds one ``Section`` (``base.py``): its heading and the function that writes it
from the loaded ``DossierData``. The cover and contents come first (``cover.py``), then
``sections()`` in order.
"""

from __future__ import annotations

from dossiers.sections import (
    basics,
    compliance,
    development,
    dues,
    life,
    meetings,
    notices,
    relations,
    roster,
    stars,
)
from dossiers.sections.base import Section, numbered

__all__ = ["Section", "numbered", "sections"]


def sections() -> list[Section]:
    return [
        basics.SECTION,
        roster.SECTION,
        compliance.SECTION,
        meetings.SECTION,
        life.SECTION,
        development.SECTION,
        relations.SECTION,
        dues.SECTION,
        notices.SECTION,
        stars.SECTION,
    ]
