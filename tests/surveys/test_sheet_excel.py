"""Excel for every attachment form: export layout, blank template, import with preview and
confirmation, round trip, and each bad file refused through the import view with nothing saved.

``tests/ratings/test_star_excel.py`` runs the same tests for the star self-assessment.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from portal.exporters import get_exporter
from portal.models import AuditEntry
from portal.xlsx import write_xlsx
from portal.xlsx_layout import layout_of
from ratings.models import StarAnswer
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus
from tasks.models.notices import DEADLINE_TZ
from tests.bounds import BILLION_LAUGHS_DTD, rewrite_sheet, with_cell, within_bounds, xlsx_bomb
from tests.builders.kind_fills import DATE_COLUMN, FILL
from tests.builders.tasks import form_assignment
from tests.surveys.badfiles import BAD_FILES, column_of, edit, first_data_row, header_row
from tests.surveys.helpers import detail
from tests.xlsx_widths import assert_width

pytestmark = pytest.mark.django_db

ROW_KINDS = ["rectification", "service_survey", "brand_plan"]


@pytest.fixture(params=ROW_KINDS)
def kind(request):
    return request.param


@pytest.fixture
def source(personas, kind):
    """A filled form of branch B; its export is the good file."""
    assignment = form_assignment(personas, kind, branch="branch_b")
    FILL[kind](assignment)
    return assignment


@pytest.fixture
def target(personas, kind):
    """Branch A's empty form of the same kind: where the files are imported."""
    return form_assignment(personas, kind)


@pytest.fixture
def good(personas, source):
    return personas.client("secretary_b").get(reverse("surveys:sheet_export", args=[source.pk]))


def stored(kind_key, assignment):
    """What the form holds, as the export's rows."""
    return [list(r) for r in get_kind(kind_key).exporter(assignment).rows()]


def upload(client, assignment, data: bytes, name="填好的模板.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("surveys:sheet_import", args=[assignment.pk]), {"file": file})


def confirm(client, assignment):
    return client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))


def test_exporter_is_registered(kind):
    exporter_cls = get_kind(kind).exporter_class
    assert get_exporter(exporter_cls.identifier) is exporter_cls


def test_export_layout(good, source, kind):
    assert good.status_code == 200
    assert "attachment;" in good["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(good.streaming_content)))
    ws = wb.worksheets[0]
    exporter_cls = get_kind(kind).exporter_class
    assert ws["A1"].value == str(exporter_cls.title)
    assert ws["A1"].font.bold
    assert "甲党支部" not in ws["A2"].value and "乙党支部" in ws["A2"].value
    layout = layout_of(get_kind(kind).exporter(source))
    assert header_row(ws) == layout.header_row
    assert [c.value for c in ws[layout.header_row]] == [str(c.header) for c in exporter_cls.columns]
    header = ws.cell(layout.header_row, 1)
    assert header.font.bold and header.border.left.style == "thin"
    assert header.alignment.wrap_text
    text_col = next(i for i, c in enumerate(exporter_cls.columns, 1) if c.kind == "text")
    assert ws.cell(layout.first_data_row, text_col).font.name == "宋体"
    assert ws.cell(layout.first_data_row, text_col).alignment.wrap_text
    assert_width(ws, "A", exporter_cls.columns[0].width)
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.orientation == "landscape"
    if exporter_cls.header_columns:
        row = layout.header_row
        assert ws.print_title_rows == f"${row}:${row}"
        labels = [ws.cell(r, 1).value for r in range(3, row)]
        assert labels == [str(c.header) for c in exporter_cls.header_columns]
    else:
        assert ws.print_title_rows == "$1:$3"
        assert ws.freeze_panes == "A4"
    footer = len(exporter_cls.footer_columns)
    assert ws.max_row - layout.header_row - footer == len(stored(kind, source))


def test_blank_template_has_the_same_layout(personas, target, kind):
    response = personas.client("secretary_a").get(
        reverse("surveys:sheet_template", args=[target.pk])
    )
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    exporter_cls = get_kind(kind).exporter_class
    row = header_row(ws)
    assert [c.value for c in ws[row]] == [str(c.header) for c in exporter_cls.columns]
    assert row == 3 + len(exporter_cls.header_columns)
    assert ws.print_title_rows == ("$1:$3" if row == 3 else f"${row}:${row}")


def test_round_trip_export_then_import_gives_the_same_data(personas, good, source, target, kind):
    client = personas.client("secretary_a")
    data = b"".join(good.streaming_content)
    preview = upload(client, target, data)
    assert preview.status_code == 200
    assert preview.context["preview"]
    assert not preview.context.get("errors")
    assert stored(kind, target) != stored(kind, source)  # nothing saved before confirming
    response = confirm(client, target)
    assert response.status_code == 302
    assert stored(kind, target) == stored(kind, source)
    assignment = Assignment.objects.get(pk=target.pk)
    assert assignment.status == AssignmentStatus.DRAFT
    entry = AuditEntry.objects.get(action=f"{get_kind(kind).audit_name}.imported")
    assert entry.data == {"rows": len(stored(kind, source))}


def test_confirm_after_someone_else_saved_says_the_file_must_be_uploaded_again(
    personas, good, target, kind
):
    client = personas.client("secretary_a")
    assert upload(client, target, b"".join(good.streaming_content)).context["preview"]
    # Someone else saves the form between the preview and the confirmation.
    Assignment.objects.filter(pk=target.pk).update(version=target.version + 1)
    response = client.post(
        reverse("surveys:sheet_import_confirm", args=[target.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "nothing was imported. Upload the file again" in page
    assert "still in the form" not in page  # no input is kept, so none is promised
    assert response.redirect_chain[-1][0] == reverse("surveys:sheet_import", args=[target.pk])
    assert isinstance(response.context["form"].fields["file"], forms.FileField)
    assert stored(kind, target) == []


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_bad_file_is_refused_and_nothing_is_saved(personas, good, target, kind, bad):
    build, words = BAD_FILES[bad]
    client = personas.client("secretary_a")
    before = stored(kind, target)
    response = upload(client, target, build(b"".join(good.streaming_content)))
    assert response.status_code == 200
    messages = " ".join(str(e) for e in response.context["errors"])
    assert words in messages
    assert "import-errors" in response.content.decode()
    assert "preview" not in response.context
    # a confirmation without a valid preview saves nothing either
    confirm(client, target)
    assert stored(kind, target) == before
    assert Assignment.objects.get(pk=target.pk).status == AssignmentStatus.PENDING


@pytest.mark.parametrize("text", ["2022-10-31", "2022/10/31", "2022.10.31", "2022年10月31日"])
def test_dates_as_text_are_accepted(personas, good, target, kind, text):
    header = DATE_COLUMN[kind]
    if header is None:
        pytest.skip("this form has no date column")

    def change(wb, ws):
        ws.cell(first_data_row(ws), column_of(ws, header)).value = text

    client = personas.client("secretary_a")
    response = upload(client, target, edit(b"".join(good.streaming_content), change))
    assert not response.context.get("errors"), response.context.get("errors")
    confirm(client, target)
    assert "2022-10-31" in str(stored(kind, target)[0]) or any(
        getattr(v, "isoformat", lambda: "")() == "2022-10-31" for v in stored(kind, target)[0]
    )


def test_a_bad_date_names_row_and_column(personas, good, target, kind):
    header = DATE_COLUMN[kind]
    if header is None:
        pytest.skip("this form has no date column")

    rows = []

    def change(wb, ws):
        rows.append(first_data_row(ws) + 1)
        ws.cell(rows[0], column_of(ws, header)).value = "31/10/2022"

    response = upload(
        personas.client("secretary_a"), target, edit(b"".join(good.streaming_content), change)
    )
    (error,) = response.context["errors"]
    assert (error.row, error.column) == (rows[0], header)
    assert "is not a date" in error.message
    assert stored(kind, target) == []


def test_script_text_is_kept_as_text_and_escaped(personas, good, target, kind):
    def change(wb, ws):
        for cell in ws[header_row(ws)]:
            if cell.value in ("Problem", "Concern", "Measure", "Evidence"):
                ws.cell(first_data_row(ws), cell.column).value = "<script>alert(1)</script>"

    client = personas.client("secretary_a")
    response = upload(client, target, edit(b"".join(good.streaming_content), change))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    confirm(client, target)
    assert "<script>alert(1)</script>" in str(stored(kind, target)[0])
    page = client.get(detail(target)).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_formula_like_text_is_exported_as_text(personas, target, kind):
    FILL[kind](target)
    kind_obj = get_kind(kind)
    hostile = '=HYPERLINK("http://evil.example","点击")'
    rows = kind_obj.rows_of(target)
    text_key = next(
        c.key
        for c in kind_obj.exporter_class.columns
        if c.key == "evidence" or (c.kind == "text" and c.key not in ("text",))
    )
    if hasattr(rows[0], "pk") and not hasattr(rows[0], "indicator"):
        type(rows[0]).objects.filter(pk=rows[0].pk).update(**{text_key: hostile})
    else:
        StarAnswer.objects.filter(assessment__assignment=target).update(evidence=hostile)
    response = personas.client("secretary_a").get(reverse("surveys:sheet_export", args=[target.pk]))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    start = first_data_row(ws)
    cells = [c for row in ws.iter_rows(min_row=start) for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)


def test_import_refused_once_submitted(personas, good, target, kind):
    Assignment.objects.filter(pk=target.pk).update(status=AssignmentStatus.SUBMITTED)
    response = personas.client("secretary_a").get(reverse("surveys:sheet_import", args=[target.pk]))
    assert response.status_code == 302


def test_other_branch_cannot_import(personas, target):
    response = personas.client("secretary_b").get(reverse("surveys:sheet_import", args=[target.pk]))
    assert response.status_code == 404


# --- files that would make the reader build or inflate far beyond the template ------------------
def _template(client, assignment) -> bytes:
    return client.get(reverse("surveys:sheet_template", args=[assignment.pk])).content


def _refused_quickly(client, assignment, data: bytes) -> str:
    response = within_bounds(lambda: upload(client, assignment, data))
    assert response.status_code == 200 and "preview" not in response.context
    return " ".join(str(e) for e in response.context["errors"])


@pytest.mark.parametrize("coordinate", ["A1048576", "A200000"])
def test_stray_value_far_below_the_template_is_refused_naming_the_cell(personas, coordinate):
    target = form_assignment(personas, "rectification")
    client = personas.client("secretary_a")
    data = with_cell(_template(client, target), coordinate)
    assert f"Cell {coordinate} is outside the template" in _refused_quickly(client, target, data)


def test_value_right_of_the_template_columns_is_refused_naming_the_cell(personas):
    target = form_assignment(personas, "rectification")
    client = personas.client("secretary_a")
    template = _template(client, target)
    ws = load_workbook(io.BytesIO(template)).worksheets[0]
    cell = f"{get_column_letter(len(get_kind('rectification').exporter_class.columns) + 1)}"
    cell += str(first_data_row(ws))
    message = _refused_quickly(client, target, with_cell(template, cell))
    assert f"Cell {cell} is outside the template's columns" in message


def test_xlsx_bomb_and_entity_expansion_are_refused_quickly(personas):
    target = form_assignment(personas, "rectification")
    client = personas.client("secretary_a")
    template = _template(client, target)
    assert "expands" in _refused_quickly(client, target, xlsx_bomb(template))

    def laugh(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet", BILLION_LAUGHS_DTD.encode() + b"<worksheet", 1)
        return xml.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)

    assert "damaged" in _refused_quickly(client, target, rewrite_sheet(template, laugh))


def test_sheet_pages_live_under_the_sheets_prefix():
    assert reverse("surveys:sheet_export", args=[7]) == "/sheets/assignments/7/excel/"
    assert reverse("surveys:sheet_import", args=[7]) == "/sheets/assignments/7/import/"


def test_export_is_dated_by_the_submission_and_a_draft_undated(personas, source, kind):
    def info_date(assignment):
        ws = load_workbook(io.BytesIO(write_xlsx(get_kind(kind).exporter(assignment)))).active
        return [c.value for c in ws[2] if c.value][-1]

    assert not any(ch.isdigit() for ch in info_date(source))  # a draft: no date
    when = timezone.make_aware(datetime.datetime(2022, 10, 31, 23, 50), DEADLINE_TZ)
    Assignment.objects.filter(pk=source.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=when
    )
    source.refresh_from_db()
    assert info_date(source).endswith("2022-10-31")  # Beijing time, not the download day
