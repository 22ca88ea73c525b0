"""The committee's yearly dues statement: the official layout of every export (title, 填报单位,
the year's block, bordered header, A4 landscape with the header repeated), one row per branch
and a total row; downloaded by the office only, and audited."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Person
from dues.exporters import DuesStatementExporter
from dues.reports import committee_year
from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.exporters import get_exporter
from portal.models import AuditEntry
from portal.xlsx import write_xlsx
from portal.xlsx_layout import layout_of
from tests.builders.dues import member_with_base, pay
from tests.clock import BEIJING

pytestmark = pytest.mark.django_db


def test_the_statement_is_a_registered_exporter():
    assert get_exporter("dues.committee_statement") is DuesStatementExporter


@pytest.mark.clock(at=datetime(2025, 9, 15, 10, 0, tzinfo=BEIJING))
def test_statement_layout_rows_and_total(personas):
    a, b = personas.tree["branch_a"], personas.tree["branch_b"]
    pay(member_with_base(a, "4000"), date(2025, 1, 1), 9, "360", extra="50")
    member_with_base(a, "12000")  # 240 a month, nothing paid
    pay(member_with_base(b, "3000"), date(2025, 1, 1), 6, "90")
    committee = personas.tree["committee"]
    response = personas.client("office").get(
        reverse("dues:committee_statement", args=[committee.pk]) + "?year=2025",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    layout = layout_of(DuesStatementExporter(fields={"year": 2025}))
    assert ws["A1"].value == "Yearly Party dues statement"
    assert committee.name in ws["A2"].value
    block = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(3, layout.header_row)}
    assert block == {"Year": 2025}
    assert [c.value for c in ws[layout.header_row]] == [
        str(c.header) for c in DuesStatementExporter.columns
    ]
    assert ws.cell(layout.header_row, 1).border.left.style == "thin"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == f"${layout.header_row}:${layout.header_row}"
    rows = [row for row in ws.iter_rows(min_row=layout.first_data_row, values_only=True) if row[1]]
    by_branch = {row[1]: row for row in rows}
    # members, due, paid, extra, arrears, members in arrears
    # Every active member counts, with a base or not (the personas have none: nothing due).
    in_a, in_b = (Person.objects.active().members().filter(branch=x).count() for x in (a, b))
    assert by_branch["甲党支部"][2:] == (in_a, 2520, 360, 50, 2160, 1)
    assert by_branch["乙党支部"][2:] == (in_b, 135, 90, 0, 45, 1)
    assert rows[-1][1] == "Total" and rows[-1][2:] == (in_a + in_b, 2655, 450, 50, 2205, 2)
    assert [row[0] for row in rows[:-1]] == list(range(1, len(rows)))
    entry = AuditEntry.objects.get(action=ACTION_EXPORT_DOWNLOADED)
    assert entry.data["year"] == 2025 and entry.data["sheets"] == ["dues.committee_statement"]


def test_amounts_keep_their_fen(personas):
    a = personas.tree["branch_a"]
    member_with_base(a, "4050.50", month=date(2024, 1, 1))  # 40.51 a month
    branches, total = committee_year(personas.tree["committee"], 2024, date(2025, 1, 10))
    exporter = DuesStatementExporter(branches, total)
    row = next(r for r in exporter.rows() if r[1] == a.name)
    assert row[3] == Decimal("486.12")


def test_amounts_print_with_two_decimals(personas):
    a = personas.tree["branch_a"]
    member_with_base(a, "2250", month=date(2024, 1, 1))  # 11.25 a month
    branches, total = committee_year(personas.tree["committee"], 2024, date(2025, 1, 10))
    ws = load_workbook(io.BytesIO(write_xlsx(DuesStatementExporter(branches, total)))).active
    # Due, paid, extra and arrears (columns D–G) are amounts; the counts beside them are not.
    amounts = [row[3:7] for row in ws.iter_rows() if isinstance(row[3].value, int | float)]
    assert amounts and all(cell.number_format == "0.00" for row in amounts for cell in row)
    counts = [row[2] for row in ws.iter_rows() if isinstance(row[2].value, int | float)]
    assert counts and all(cell.number_format != "0.00" for cell in counts)
