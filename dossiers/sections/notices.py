"""八、The work notices of the year: each task item with the branch's submission and its forms."""

from __future__ import annotations

from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData, FormSheet
from dossiers.document import DossierDocument, text_of
from dossiers.sections.base import Section
from tasks.models import Assignment
from tasks.models.notices import DEADLINE_TZ


def _day(moment):
    return timezone.localtime(moment, DEADLINE_TZ).date() if moment else None


def write_form(doc: DossierDocument, form: FormSheet) -> None:
    header = []
    for name in form.kind.header_fields:
        field = form.kind.sheet_model._meta.get_field(name)
        value = getattr(form.sheet, name)
        if field.choices:
            value = getattr(form.sheet, f"get_{name}_display")()
        header.append((str(field.verbose_name), value))
    if any(value for _label, value in header):
        doc.pairs(header)
    exporter = form.kind.exporter_class(rows=form.rows)
    columns = [c for c in exporter.columns if c.key != "position"]
    for number, values in enumerate(exporter.display_rows(), 1):
        by_key = dict(zip([c.key for c in exporter.columns], values, strict=False))
        doc.paragraph(f"{form.kind.row_label} {number}")
        doc.pairs([(c.header, by_key.get(c.key)) for c in columns if by_key.get(c.key)])


def write_assignment(doc: DossierDocument, data: DossierData, assignment: Assignment) -> None:
    item = assignment.item
    doc.heading(f"{item.display_label} {item.title}", 3)
    doc.pairs(
        [
            (_("Deadline"), assignment.due_date),
            (_("Status"), assignment.get_status_display()),
            (_("Handed in on"), _day(assignment.first_submitted_at)),
            (_("Approved on"), _day(assignment.approved_at)),
            (_("Files"), "、".join(f.original_name for f in assignment.files.all())),
        ]
    )
    if assignment.report_text:
        doc.lines(assignment.report_text)
    form = data.forms.get(assignment.pk)
    if form is not None:
        write_form(doc, form)
    elif item.kind == "star_self_assessment":
        doc.paragraph(_("The star self-assessment is in the last section."))


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    if not data.assignments:
        doc.none(_("No work notice of %(year)s concerns this branch.") % {"year": data.year})
        return
    for notice, rows in groupby(data.assignments, key=lambda a: a.item.area.notice):
        assignments = list(rows)
        doc.heading(
            _("%(year)s issue %(number)s: %(title)s")
            % {"year": notice.year, "number": notice.issue_number, "title": notice.title},
            2,
        )
        doc.paragraph(_("Issued on %(date)s") % {"date": text_of(notice.date)})
        doc.table(
            [_("Task item"), _("Deadline"), _("Status"), _("Handed in on")],
            [
                (
                    f"{a.item.display_label} {a.item.title}",
                    a.due_date,
                    a.get_status_display(),
                    _day(a.first_submitted_at),
                )
                for a in assignments
            ],
            (74, 28, 26, 28),
        )
        for assignment in assignments:
            write_assignment(doc, data, assignment)


SECTION = Section("notices", gettext_lazy("Work notices and the branch's submissions"), write)
