"""Attachment 4 in the Shanghai Branch workbook of a notice: every branch's self-assessment
answers stacked, the branch first (tasks/workbook.py collects exporters offering
``for_notice``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.exporters import Column, Exporter, register_exporter
from ratings.models import StarAnswer
from ratings.self_assessment import StarSelfAssessmentExporter, indicator_text
from tasks.models import AssignmentStatus

KIND = "star_self_assessment"
HANDED_IN = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


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
        return (
            StarAnswer.objects.filter(
                assessment__assignment__item__area__notice=self.notice,
                assessment__assignment__item__kind=KIND,
                assessment__assignment__item__withdrawn_at=None,
                assessment__assignment__status__in=HANDED_IN,
            )
            .select_related("indicator__indicator_set", "assessment__assignment__branch")
            .order_by("assessment__assignment__branch__path", "indicator__number")
        )

    def estimated_rows(self) -> int:
        return self._answers().count()

    def rows(self) -> Iterator[list[Any]]:
        for answer in self._answers().iterator(chunk_size=2000):
            branch = answer.assessment.assignment.branch
            indicator = answer.indicator
            yield [
                branch.short_name or branch.name,
                answer.assessment.self_star,
                indicator.dimension,
                indicator.number,
                indicator_text(indicator),
                answer.answer or None,
                answer.evidence,
            ]
