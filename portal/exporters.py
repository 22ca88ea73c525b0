"""Report exporters and their registry.

One ``Exporter`` subclass per report: it names its columns and yields plain rows; the
layout (title row, 填报单位/填报日期, bordered header, print setup) belongs to the single
writer in ``portal.xlsx``. A form with header fields (brand name, secretary, …) declares them
as ``header_columns`` / ``footer_columns``: the writer prints them as label/value blocks above
and below the table, and the importer reads them back by their labels. Apps register their
exporters here, so ``portal`` never imports them (DESIGN §3: nothing reaches up).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any, ClassVar

from django.utils import timezone

TEXT = "text"
DATE = "date"
INT = "int"
CHOICE = "choice"
#: An amount of money in yuan: printed with two decimals (22.50), read back as a Decimal.
MONEY = "money"
COLUMN_KINDS = (TEXT, DATE, INT, CHOICE, MONEY)


@dataclass(frozen=True)
class Column:
    """One spreadsheet column, shared by the export, the blank template and the importer.

    ``header`` is what appears in the header row (translatable). ``width`` is in Excel
    character units. For ``choice`` columns, ``choices`` holds ``(stored value, label)``
    pairs: the sheet shows labels, the importer maps a label back to its stored value.
    ``group``: consecutive columns of one group get a second header row above theirs, the
    group's label merged over them (the summary's task item over its status and date).
    """

    key: str
    header: Any
    width: float = 14
    kind: str = TEXT
    required: bool = False
    choices: Sequence[tuple[Any, Any]] = field(default=())
    group: Any = None

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r} for column {self.key!r}")
        if self.kind == CHOICE and not self.choices:
            raise ValueError(f"Choice column {self.key!r} needs choices")

    def label_for(self, value: Any) -> Any:
        """The label shown in the sheet for a stored choice value (the value itself if unknown)."""
        for stored, label in self.choices:
            if stored == value:
                return str(label)
        return value


class Exporter:
    """Base class of a report; subclasses set the class attributes and implement ``rows()``.

    Instances carry the per-download context: ``unit_name`` (填报单位) and ``filled_on``
    (填报日期): a form is dated by its submission, and ``None`` leaves the date blank (a form
    not handed in yet, a template filled by hand); without it, a report compiled now is dated
    today. Subclasses that need more (an organisation, a queryset)
    accept it in ``__init__`` and call ``super().__init__(...)``.
    """

    identifier: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    columns: ClassVar[Sequence[Column]] = ()
    # Optional shorter sheet name; the writer trims and de-duplicates it to Excel's 31 chars.
    sheet_title: ClassVar[Any] = ""
    # Label/value fields printed between the info row and the table header, and after the rows.
    header_columns: ClassVar[Sequence[Column]] = ()
    footer_columns: ClassVar[Sequence[Column]] = ()

    def __init__(
        self,
        *,
        unit_name: str = "",
        filled_on: datetime.date | None | EllipsisType = ...,
        fields: Mapping[str, Any] | None = None,
    ):
        self.unit_name = unit_name
        self.filled_on: datetime.date | None = (
            timezone.localdate() if filled_on is ... else filled_on
        )
        # Values of the header and footer fields by column key; missing ones print empty.
        self.fields = dict(fields or {})

    def _pairs(self, columns: Sequence[Column]) -> list[tuple[Any, Any]]:
        return [(col.header, col.label_for(self.fields.get(col.key))) for col in columns]

    def header_fields(self) -> list[tuple[Any, Any]]:
        """(label, value) pairs written above the table header; empty: no block."""
        return self._pairs(self.header_columns)

    def footer_fields(self) -> list[tuple[Any, Any]]:
        """(label, value) pairs written after the rows; empty: no block."""
        return self._pairs(self.footer_columns)

    def rows(self) -> Iterable[Sequence[Any]]:
        """Yield one list/tuple per data row, values in the order of ``columns``."""
        raise NotImplementedError

    def display_rows(self) -> Iterator[Sequence[Any]]:
        """Rows with choice values replaced by their labels, as the sheet shows them."""
        choice_positions = [(i, col) for i, col in enumerate(self.columns) if col.kind == CHOICE]
        if not choice_positions:
            yield from self.rows()
            return
        for row in self.rows():
            row = list(row)
            for i, col in choice_positions:
                if i < len(row):
                    row[i] = col.label_for(row[i])
            yield row

    def filename(self) -> str:
        """Download name: the report title and the fill date, e.g. ``整改清单_2022-10-31.xlsx``."""
        if self.filled_on is None:
            return f"{self.title}.xlsx"
        return f"{self.title}_{self.filled_on.isoformat()}.xlsx"


_registry: dict[str, type[Exporter]] = {}


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    """Register an exporter class; usable as a class decorator.

    Registering the same class twice is harmless (apps' ``ready()`` may run more than once in
    tests); a different class claiming a taken identifier is a programming error.
    """
    if not cls.identifier:
        raise ValueError(f"{cls.__name__} has no identifier")
    existing = _registry.get(cls.identifier)
    if existing is not None and existing is not cls:
        raise ValueError(
            f"Exporter identifier {cls.identifier!r} is already used by {existing.__name__}"
        )
    _registry[cls.identifier] = cls
    return cls


def unregister_exporter(identifier: str) -> None:
    """Remove an exporter (for tests that register throwaway classes)."""
    _registry.pop(identifier, None)


def get_exporter(identifier: str) -> type[Exporter]:
    """The exporter class for ``identifier``; ``LookupError`` if none is registered."""
    try:
        return _registry[identifier]
    except KeyError:
        raise LookupError(f"No exporter registered as {identifier!r}") from None


def exporters() -> list[type[Exporter]]:
    """All registered exporter classes, in registration order."""
    return list(_registry.values())
