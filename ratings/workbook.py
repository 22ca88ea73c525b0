"""Attachment 4 in the Shanghai Branch workbook of a notice: a sheet of every branch's header and
footer fields (secretary, members, founded, yes count, star, gaps, the committee's star and
opinion; a row each), then every branch's answers stacked, the branch first (tasks/workbook.py
collects exporters offering ``for_notice``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.exporters import DATE, Column, Exporter, register_exporter
from ratings.models import Indicator, StarAnswer, StarDecision, StarSelfAssessment
from ratings.self_assessment import StarSelfAssessmentExporter, indicator_text
from tasks.models import AssignmentStatus
from tasks.models.notices import DEADLINE_TZ

KIND = "star_self_assessment"
HANDED_IN = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)
#: The signature is written by hand on the paper form: no column for it in the workbook.
NOT_STACKED = {"branch", "signed_by"}
LONG_TEXT = {"committee_members": 20, "gaps": 30, "committee_opinion": 30}


def _field_columns() -> tuple[Column, ...]:
    exporter = StarSelfAssessmentExporter
    return tuple(
        Column(col.key, col.header, LONG_TEXT.get(col.key, 12), col.kind)
        for col in (*exporter.header_columns, *exporter.footer_columns)
        if col.key not in NOT_STACKED
    )


@register_exporter
class NoticeSelfAssessmentFieldsExporter(Exporter):
    """The header and footer fields of every branch's handed-in self-assessment, a row each."""

    identifier = "ratings.star_self_assessment.notice_fields"
    title = StarSelfAssessmentExporter.title
    field_columns = _field_columns()
    columns = (
        Column("branch", _("Party branch"), 22),
        Column("handed_in", _("Handed in on"), 12, DATE),
        *field_columns,
    )

    def __init__(self, notice, **kwargs):
        kwargs.setdefault("unit_name", str(notice.committee))
        super().__init__(**kwargs)
        self.notice = notice
        self.title = gettext("%(title)s: header and closing fields") % {
            "title": StarSelfAssessmentExporter.title
        }
        self.sheet_title = gettext("%(form)s (branches)") % {
            "form": StarSelfAssessmentExporter.sheet_title
        }

    @classmethod
    def for_notice(cls, notice) -> NoticeSelfAssessmentFieldsExporter | None:
        live = notice.areas.filter(items__kind=KIND, items__withdrawn_at=None)
        return cls(notice) if live.exists() else None

    def _sheets(self):
        return (
            StarSelfAssessment.objects.filter(
                assignment__item__area__notice=self.notice,
                assignment__item__kind=KIND,
                assignment__item__withdrawn_at=None,
                assignment__status__in=HANDED_IN,
            )
            .select_related("assignment__branch")
            .annotate(
                yes=Count("answers", filter=Q(answers__answer=StarAnswer.Answer.YES)),
            )
            .order_by("assignment__branch__path", "id")
        )

    def estimated_rows(self) -> int:
        return self._sheets().count()

    def rows(self) -> Iterator[list[Any]]:
        decisions = {
            d.branch_id: d
            for d in StarDecision.objects.published().filter(
                round__committee=self.notice.committee, round__year=self.notice.year
            )
        }
        for sheet in self._sheets().iterator(chunk_size=2000):
            assignment = sheet.assignment
            branch = assignment.branch
            decision = decisions.get(branch.id)
            values = {
                "service": branch.get_service_display(),
                "yes_count": sheet.yes,
                "committee_star": decision.star if decision else None,
                "committee_opinion": decision.rationale if decision else None,
            }
            submitted = assignment.submitted_at
            yield [
                branch.short_name or branch.name,
                timezone.localtime(submitted, DEADLINE_TZ).date() if submitted else None,
                *(
                    values[col.key] if col.key in values else getattr(sheet, col.key)
                    for col in self.field_columns
                ),
            ]


@register_exporter
class NoticeSelfAssessmentsExporter(Exporter):
    identifier = "ratings.star_self_assessment.notice"
    title = StarSelfAssessmentExporter.title
    sheet_title = StarSelfAssessmentExporter.sheet_title
    columns = (
        Column("branch", _("Party branch"), 22),
        Column("self_star", _("Self-assessed star (2–5)"), 10),
        *StarSelfAssessmentExporter.columns,
    )

    def __init__(self, notice, **kwargs):
        kwargs.setdefault("unit_name", str(notice.committee))
        super().__init__(**kwargs)
        self.notice = notice

    @classmethod
    def for_notice(cls, notice) -> NoticeSelfAssessmentsExporter | None:
        live = notice.areas.filter(items__kind=KIND, items__withdrawn_at=None)
        return cls(notice) if live.exists() else None

    def _answers(self):
        return StarAnswer.objects.filter(
            assessment__assignment__item__area__notice=self.notice,
            assessment__assignment__item__kind=KIND,
            assessment__assignment__item__withdrawn_at=None,
            assessment__assignment__status__in=HANDED_IN,
        )

    def estimated_rows(self) -> int:
        return self._answers().count()

    def rows(self) -> Iterator[list[Any]]:
        # Plain values, not five model instances per answer: the 1,000-branch workbook has
        # 20,000 of these rows. The indicators are few and read once, for their marks.
        indicators = {
            indicator.pk: (indicator.dimension, indicator.number, indicator_text(indicator))
            for indicator in Indicator.objects.filter(
                pk__in=self._answers().values("indicator_id")
            ).select_related("indicator_set")
        }
        answers = self._answers().order_by(
            "assessment__assignment__branch__path", "indicator__number"
        )
        for short_name, name, self_star, indicator_id, answer, evidence in answers.values_list(
            "assessment__assignment__branch__short_name",
            "assessment__assignment__branch__name",
            "assessment__self_star",
            "indicator_id",
            "answer",
            "evidence",
        ).iterator(chunk_size=2000):
            yield [
                short_name or name,
                self_star,
                *indicators[indicator_id],
                answer or None,
                evidence,
            ]
