"""``star_self_assessment``: 四强·星级自评表 — form, kind and exporter (attachment 4).

The rows are the year's indicators (fixed, not added or removed); the branch answers yes or
no with evidence. The count of "yes" is computed. Drafts may be incomplete; submitting needs
every indicator answered and a self-assessed star of 2–5, at most 2 when a veto indicator is
answered "no".

The blank template comes with the indicator rows filled in, so a branch only answers; an
imported row is matched to its indicator by dimension and number, and the indicator's text in
the file is not read (the set's text stands). Placeholder and veto indicators carry a mark after
their text on screen and in every export.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exporters import CHOICE, DATE, INT, TEXT, Column, Exporter, register_exporter
from portal.validation import model_errors
from portal.widgets import DATE_INPUT
from portal.xlsx import write_xlsx
from portal.xlsx_import import ROW_KEY, ImportSpec, RowError, model_row_errors
from ratings.indicator_sets import current_set
from ratings.models import (
    MAX_STAR,
    MIN_STAR,
    Dimension,
    Indicator,
    StarAnswer,
    StarDecision,
    StarSelfAssessment,
)
from tasks.kinds import DeliverableKind

# The header and footer fields the branch fills, in the browser or from an imported file.
HEADER_FIELDS = (
    "secretary",
    "committee_members",
    "full_members",
    "probationary_members",
    "founded_on",
    "last_election_on",
    "self_star",
    "gaps",
    "meeting_date",
)
TEXT_FIELDS = {"secretary", "committee_members", "gaps"}
STAR_CHOICES = [("", "—")] + [(n, str(n)) for n in range(MIN_STAR, MAX_STAR + 1)]


def indicator_badges(indicator: Indicator) -> str:
    """The badges of an indicator on screen: placeholder (its set is not the official list
    yet) and veto (a “no” caps the star at 2)."""
    marks = []
    if indicator.is_placeholder:
        marks.append(("warning", _("placeholder")))
    if indicator.is_veto:
        marks.append(("danger", _("veto")))
    return format_html_join(" ", '<span class="badge text-bg-{}">{}</span>', marks)


def indicator_text(indicator: Indicator) -> str:
    """The indicator's text as the sheets print it, its marks after it: 每月开展理论学习（待定）."""
    text = indicator.text
    if indicator.is_placeholder:
        text = _("%(text)s (placeholder)") % {"text": text}
    if indicator.is_veto:
        text = _("%(text)s (veto)") % {"text": text}
    return text


@register_exporter
class StarSelfAssessmentExporter(Exporter):
    identifier = "ratings.star_self_assessment"
    title = gettext_lazy("Four strong star branch self-assessment")
    sheet_title = gettext_lazy("Star self-assessment")
    columns = (
        Column("dimension", gettext_lazy("Dimension"), 16, CHOICE, True, Dimension.choices),
        Column("number", gettext_lazy("No."), 6, INT, True),
        Column("text", gettext_lazy("Indicator"), 44, TEXT, True),
        Column("answer", gettext_lazy("Yes/No"), 8, CHOICE, False, StarAnswer.Answer.choices),
        Column("evidence", gettext_lazy("Evidence"), 40),
    )
    # Keys are StarSelfAssessment fields; ``branch``, ``service``, ``yes_count`` and the
    # committee's star and opinion are shown for the record and never imported.
    header_columns = (
        Column("branch", gettext_lazy("Party branch")),
        Column("secretary", gettext_lazy("Secretary")),
        Column("committee_members", gettext_lazy("Committee members")),
        Column("full_members", gettext_lazy("Full members"), kind=INT),
        Column("probationary_members", gettext_lazy("Probationary members"), kind=INT),
        Column("service", gettext_lazy("In service or retired")),
        Column("founded_on", gettext_lazy("Founded on"), kind=DATE),
        Column("last_election_on", gettext_lazy("Last election on"), kind=DATE),
    )
    footer_columns = (
        Column("yes_count", gettext_lazy("Count of “yes”"), kind=INT),
        Column("self_star", gettext_lazy("Self-assessed star (2–5)"), kind=INT),
        Column("gaps", gettext_lazy("Main gaps and measures")),
        Column("meeting_date", gettext_lazy("Committee meeting date"), kind=DATE),
        Column("signed_by", gettext_lazy("Branch secretary (signature)")),
        Column("committee_star", gettext_lazy("Star reviewed by the Party committee"), kind=INT),
        Column("committee_opinion", gettext_lazy("Opinion of the Party committee")),
    )

    def __init__(self, rows=(), **kwargs):
        super().__init__(**kwargs)
        self._rows = rows

    def rows(self):
        for row in self._rows:
            yield [getattr(row, col.key) for col in self.columns]


class _Line:
    """One indicator with its answer, as the exporter and the preview read it."""

    def __init__(self, indicator, answer="", evidence=""):
        self.dimension = indicator.dimension
        self.number = indicator.number
        self.text = indicator_text(indicator)
        self.answer = answer
        self.evidence = evidence
        self.indicator = indicator


class StarForm(forms.ModelForm):
    class Meta:
        model = StarSelfAssessment
        fields = HEADER_FIELDS
        widgets = {
            "founded_on": DATE_INPUT,
            "last_election_on": DATE_INPUT,
            "meeting_date": DATE_INPUT,
            "gaps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, kind, assignment, indicator_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.assignment = assignment
        self.indicator_set = indicator_set
        self.fields["self_star"] = forms.TypedChoiceField(
            label=StarSelfAssessment._meta.get_field("self_star").verbose_name,
            choices=STAR_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
        )
        answers = {}
        self.yes_count = self.instance.yes_count if self.instance.pk else 0
        if self.instance.pk:
            answers = {a.indicator_id: a for a in self.instance.answers.all()}
        submitting = bool(self.data) and self.data.get("action") == "submit"
        self.indicators = list(indicator_set.indicators.all()) if indicator_set else []
        for ind in self.indicators:
            saved = answers.get(ind.pk)
            self.fields[f"answer_{ind.number}"] = forms.ChoiceField(
                label=f"{ind.get_dimension_display()} · {ind.number}. {ind.text}",
                choices=StarAnswer.Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "star-answer"}),
                required=submitting,
                initial=saved.answer if saved else "",
                error_messages={"required": _("Answer this indicator before submitting.")},
                help_text=indicator_badges(ind),
            )
            self.fields[f"evidence_{ind.number}"] = forms.CharField(
                label=gettext_lazy("Evidence"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
                initial=saved.evidence if saved else "",
            )
        if submitting:
            self.fields["self_star"].required = True
            self.fields["self_star"].error_messages["required"] = _(
                "Choose the self-assessed star (2–5) before submitting."
            )


class StarSelfAssessmentKind(DeliverableKind):
    key = "star_self_assessment"
    label = gettext_lazy("Star self-assessment (attachment 4)")
    audit_name = "ratings.star_self_assessment"
    view_template = "ratings/star_view.html"
    form_template = "ratings/star_form.html"
    exporter_class = StarSelfAssessmentExporter

    # --- data ---------------------------------------------------------------------------------
    def get_sheet(self, assignment):
        return StarSelfAssessment.objects.filter(assignment=assignment).first()

    def indicator_set(self, assignment):
        sheet = self.get_sheet(assignment)
        if sheet:
            return sheet.indicator_set
        notice = assignment.item.area.notice
        return current_set(notice.committee, notice.year)

    def rows_of(self, assignment) -> list[_Line]:
        indicator_set = self.indicator_set(assignment)
        if indicator_set is None:
            return []
        sheet = self.get_sheet(assignment)
        answers = {a.indicator_id: a for a in sheet.answers.all()} if sheet else {}
        lines = []
        for ind in indicator_set.indicators.all():
            saved = answers.get(ind.pk)
            lines.append(_Line(ind, saved.answer if saved else "", saved.evidence if saved else ""))
        return lines

    def header_items(self, assignment):
        sheet = self.get_sheet(assignment)
        items = [(str(_("Branch")), assignment.branch.name)]
        items.append((str(_("In service or retired")), assignment.branch.get_service_display()))
        for name in HEADER_FIELDS:
            field = StarSelfAssessment._meta.get_field(name)
            items.append((str(field.verbose_name), getattr(sheet, name) if sheet else None))
        items.append((str(_("Count of “yes”")), sheet.yes_count if sheet else 0))
        return items

    # --- the workflow -------------------------------------------------------------------------
    def form(self, assignment, *, data=None, files=None):
        sheet = self.get_sheet(assignment)
        initial = {}
        if sheet is None:
            branch = assignment.branch
            initial = {"founded_on": branch.founded_on, "last_election_on": branch.last_election_on}
        return StarForm(
            data=data,
            instance=sheet,
            initial=initial,
            kind=self,
            assignment=assignment,
            indicator_set=self.indicator_set(assignment),
        )

    def apply(self, form, assignment, user) -> list[str]:
        sheet = form.save(commit=False)
        sheet.assignment = assignment
        if not sheet.indicator_set_id:
            sheet.indicator_set = form.indicator_set
        sheet.save()
        for ind in form.indicators:
            StarAnswer.objects.update_or_create(
                assessment=sheet,
                indicator=ind,
                defaults={
                    "answer": form.cleaned_data.get(f"answer_{ind.number}") or "",
                    "evidence": form.cleaned_data.get(f"evidence_{ind.number}") or "",
                },
            )
        return []

    def submit_errors(self, assignment) -> list[str]:
        if self.indicator_set(assignment) is None:
            return [_("The office has not loaded the indicators of this year yet.")]
        sheet = self.get_sheet(assignment)
        errors = []
        missing = [line.number for line in self.rows_of(assignment) if not line.answer]
        if missing:
            errors.append(
                _("Answer every indicator; not answered: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in missing)}
            )
        if sheet is None or sheet.self_star not in range(MIN_STAR, MAX_STAR + 1):
            errors.append(_("Choose the self-assessed star (2–5) before submitting."))
        elif sheet.self_star > MIN_STAR and (vetoed := sheet.vetoed()):
            errors.append(
                _("A veto indicator is answered “no” (%(numbers)s): the star is at most 2.")
                % {"numbers": ", ".join(str(i.number) for i in vetoed)}
            )
        return errors

    def summary(self, assignment) -> str:
        sheet = self.get_sheet(assignment)
        if sheet is None:
            return ""
        return _("%(yes)s × yes, self-assessed %(star)s star(s)") % {
            "yes": sheet.yes_count,
            "star": sheet.self_star or "—",
        }

    # --- Excel --------------------------------------------------------------------------------
    def export_fields(self, assignment) -> dict:
        """Values of the header and footer blocks of the sheet."""
        branch = assignment.branch
        sheet = self.get_sheet(assignment)
        fields = {
            "branch": branch.name,
            "service": branch.get_service_display(),
            "founded_on": branch.founded_on,
            "last_election_on": branch.last_election_on,
        }
        if sheet is not None:
            fields.update({name: getattr(sheet, name) for name in HEADER_FIELDS})
            fields["yes_count"] = sheet.yes_count
        # 支部书记（签字） stays blank: the secretary signs the printed form by hand.
        decision = (
            StarDecision.objects.published()
            .filter(branch=branch, round__year=assignment.item.area.notice.year)
            .first()
        )
        if decision is not None:
            fields["committee_star"] = decision.star
            fields["committee_opinion"] = decision.rationale
        return fields

    def exporter(self, assignment, **kwargs):
        kwargs.setdefault("filled_on", self.filled_on(assignment))
        return StarSelfAssessmentExporter(
            rows=self.rows_of(assignment),
            unit_name=assignment.branch.name,
            fields=self.export_fields(assignment),
            **kwargs,
        )

    def check_fields(self, fields, rows=None) -> list[RowError]:
        """Header and footer values read from a file, by the model's rules (lengths, counts,
        dates, the star of 2–5); ``rows`` gives the Excel row of each value."""
        rows = rows or {}
        labels = {
            c.key: str(c.header)
            for c in (
                *StarSelfAssessmentExporter.header_columns,
                *StarSelfAssessmentExporter.footer_columns,
            )
        }
        imported = {name: value for name, value in fields.items() if name in HEADER_FIELDS}
        sheet = StarSelfAssessment(
            **{
                name: "" if value is None and name in TEXT_FIELDS else value
                for name, value in imported.items()
            }
        )
        errors = []
        filled = [name for name, value in imported.items() if value not in (None, "")]
        for name, messages in model_errors(sheet, filled).items():
            if name == "self_star":
                messages = [_("The star must be between 2 and 5.")]
            errors += [RowError(rows.get(name), labels.get(name, name), m) for m in messages]
        return errors

    def import_spec(self) -> ImportSpec:
        return ImportSpec.for_exporter(StarSelfAssessmentExporter)

    def blank_template(self, item, *, unit_name: str = "") -> tuple[str, bytes] | None:
        """The blank template: the export's layout with every indicator of the notice's set as
        a row (dimension, number, text and marks) and the answers empty, so a branch only
        answers (and the file imports back as it is)."""
        indicator_set = None
        if item is not None:
            notice = item.area.notice
            indicator_set = current_set(notice.committee, notice.year)
        indicators = indicator_set.indicators.all() if indicator_set else []
        exporter = StarSelfAssessmentExporter(
            rows=[_Line(ind) for ind in indicators],
            unit_name=unit_name,
            fields={"branch": unit_name} if unit_name else {},
        )
        name = _("%(title)s_template.xlsx") % {"title": StarSelfAssessmentExporter.title}
        return str(name), write_xlsx(exporter) or b""

    def check_import(self, assignment, rows) -> list[RowError]:
        indicator_set = self.indicator_set(assignment)
        if indicator_set is None:
            return [RowError(None, None, _("The office has not loaded the indicators yet."))]
        # A row is its indicator by dimension and number; the text in the file is not read.
        dimensions = dict(indicator_set.indicators.values_list("number", "dimension"))
        known = set(dimensions)
        dimension_header, number_header = (
            str(c.header) for c in StarSelfAssessmentExporter.columns[:2]
        )
        errors, seen = [], set()
        for record in rows:
            number = record["number"]
            if number not in known:
                errors.append(
                    RowError(
                        record[ROW_KEY], number_header, _("There is no indicator with this number.")
                    )
                )
            elif number in seen:
                errors.append(
                    RowError(record[ROW_KEY], number_header, _("This indicator appears twice."))
                )
            elif record["dimension"] != dimensions[number]:
                errors.append(
                    RowError(
                        record[ROW_KEY],
                        dimension_header,
                        _("Indicator %(n)s belongs to “%(dimension)s”.")
                        % {"n": number, "dimension": Dimension(dimensions[number]).label},
                    )
                )
            seen.add(number)
        headers = {c.key: str(c.header) for c in StarSelfAssessmentExporter.columns}
        for record in rows:
            answer = StarAnswer(answer=record["answer"] or "", evidence=record["evidence"] or "")
            errors += model_row_errors(record[ROW_KEY], answer, headers, ("answer", "evidence"))
        if not errors and seen != known:
            missing = ", ".join(str(n) for n in sorted(known - seen))
            errors.append(
                RowError(None, None, _("Indicators missing from the file: %(n)s.") % {"n": missing})
            )
        return errors

    def preview_objects(self, rows):
        return [_Row(**{k: v for k, v in r.items() if k != ROW_KEY}) for r in rows]

    def apply_import(self, assignment, rows, fields=None) -> int:
        sheet = self.get_sheet(assignment)
        if sheet is None:
            branch = assignment.branch
            sheet = StarSelfAssessment.objects.create(
                assignment=assignment,
                indicator_set=self.indicator_set(assignment),
                founded_on=branch.founded_on,
                last_election_on=branch.last_election_on,
            )
        by_number = {ind.number: ind for ind in sheet.indicator_set.indicators.all()}
        for record in rows:
            StarAnswer.objects.update_or_create(
                assessment=sheet,
                indicator=by_number[record["number"]],
                defaults={"answer": record["answer"] or "", "evidence": record["evidence"] or ""},
            )
        for name, value in (fields or {}).items():
            if name in BRANCH_FACTS and value is None:
                continue  # copied from the branch's records: a blank cell does not erase them
            if name in HEADER_FIELDS:
                setattr(sheet, name, "" if value is None and name in TEXT_FIELDS else value)
        sheet.save()
        return len(rows)


#: Header facts the portal copies from the branch's records when the form is started.
BRANCH_FACTS = frozenset({"founded_on", "last_election_on"})


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)
