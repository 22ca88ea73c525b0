"""Spreadsheets of the Party dues, laid out by the one writer in ``portal.xlsx``:

* ``DuesBaseExporter``: the members' monthly bases (the branch's export and, blank, the
  import template);
* ``DuesStatementExporter``: the committee's yearly statement, one row per branch and a
  total row.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dues.models import DuesCategory
from dues.reports import BranchYear, Totals
from portal.exporters import CHOICE, DATE, INT, MONEY, Column, Exporter, register_exporter


@register_exporter
class DuesBaseExporter(Exporter):
    identifier = "dues.bases"
    title = gettext_lazy("Party dues bases")
    columns = (
        Column("name", gettext_lazy("Name"), 14, required=True),
        Column("birth_date", gettext_lazy("Date of birth"), 13, DATE),
        Column(
            "category",
            gettext_lazy("Dues category"),
            16,
            CHOICE,
            required=True,
            choices=DuesCategory.choices,
        ),
        Column("amount", gettext_lazy("Monthly base (yuan)"), 16),
        Column("month", gettext_lazy("From month"), 13, DATE, required=True),
        Column("note", gettext_lazy("Note"), 24),
    )

    def __init__(self, bases=(), **kwargs):
        super().__init__(**kwargs)
        self.bases = bases

    def rows(self):
        for base in self.bases:
            yield [
                base.person.name,
                base.person.birth_date,
                base.category,
                base.amount,
                base.effective_from,
                base.note,
            ]


@register_exporter
class DuesStatementExporter(Exporter):
    identifier = "dues.committee_statement"
    title = gettext_lazy("Yearly Party dues statement")
    columns = (
        Column("number", gettext_lazy("No."), 6, INT),
        Column("branch", gettext_lazy("Branch"), 28),
        Column("members", gettext_lazy("Members"), 9, INT),
        Column("due", gettext_lazy("Dues due (yuan)"), 14, MONEY),
        Column("paid", gettext_lazy("Dues paid (yuan)"), 14, MONEY),
        Column("extra", gettext_lazy("Voluntary extra (yuan)"), 14, MONEY),
        Column("arrears", gettext_lazy("Arrears (yuan)"), 14, MONEY),
        Column("members_in_arrears", gettext_lazy("Members in arrears"), 11, INT),
    )
    header_columns = (Column("year", gettext_lazy("Year"), 10),)

    def __init__(self, branches: Sequence[BranchYear] = (), total: Totals | None = None, **kwargs):
        super().__init__(**kwargs)
        self.branches = branches
        self.total = total

    def rows(self):
        for number, entry in enumerate(self.branches, 1):
            yield [number, entry.branch.name, *_figures(entry.totals)]
        if self.total is not None:
            yield ["", _("Total"), *_figures(self.total)]


def _figures(totals: Totals) -> list:
    return [
        totals.members,
        totals.due,
        totals.paid,
        totals.extra,
        totals.arrears,
        totals.members_in_arrears,
    ]
