"""Spreadsheets of branch life: roster (also the import template), development pipeline,
relation cases, meeting records. Laid out by the one writer in ``portal.xlsx``."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from branches.models import Gender, MemberType
from portal.exporters import CHOICE, DATE, INT, Column, Exporter, register_exporter


@register_exporter
class RosterExporter(Exporter):
    identifier = "branches.roster"
    title = _("Branch roster")
    columns = (
        Column("name", _("Name"), 14, required=True),
        Column("gender", _("Gender"), 8, CHOICE, choices=Gender.choices),
        Column("birth_date", _("Date of birth"), 13, DATE),
        Column("phone", _("Phone"), 16),
        Column("email", _("Email"), 24),
        Column(
            "member_type", _("Membership"), 14, CHOICE, required=True, choices=MemberType.choices
        ),
        Column("joined_on", _("Joined the Party on"), 14, DATE),
    )

    def __init__(self, people=(), **kwargs):
        super().__init__(**kwargs)
        self.people = people

    def rows(self):
        for person in self.people:
            yield [getattr(person, col.key) for col in self.columns]


@register_exporter
class PipelineExporter(Exporter):
    identifier = "branches.development_pipeline"
    title = _("Member development pipeline")
    columns = (
        Column("branch", _("Branch"), 22),
        Column("person", _("Name"), 12),
        Column("stage", _("Stage"), 14),
        Column("last_step", _("Last step"), 26),
        Column("last_step_on", _("Last step on"), 13, DATE),
        Column("next_step", _("Next step"), 26),
        Column("due_on", _("Normally due"), 13, DATE),
    )

    def __init__(self, due_steps=(), **kwargs):
        super().__init__(**kwargs)
        self.due_steps = due_steps

    def rows(self):
        for row in self.due_steps:
            case = row.case
            yield [
                case.branch.name,
                case.person.name,
                case.get_stage_display(),
                str(case.last_step) if case.last_step else "",
                case.last_step_on,
                str(row.step),
                row.due_on if row.due_on != date.max else None,
            ]


@register_exporter
class RelationCaseExporter(Exporter):
    identifier = "branches.relation_cases"
    title = _("Membership-relation cases")
    columns = (
        Column("branch", _("Branch"), 22),
        Column("person", _("Member"), 12),
        Column("kind", _("Type"), 16),
        Column("opened_on", _("Opened on"), 12, DATE),
        Column("last_contact_on", _("Last contact"), 12, DATE),
        Column("last_life_on", _("Last organisational life"), 12, DATE),
        Column("dues_paid_until", _("Dues paid up to"), 12, DATE),
        Column("letter_number", _("Transfer letter number"), 14),
        Column("letter_valid_until", _("Letter valid until"), 12, DATE),
        Column("destination", _("Destination"), 18),
        Column("receipt_on", _("Receipt back on"), 12, DATE),
        Column("disposition", _("Disposition"), 14),
        Column("attempts", _("Search attempts"), 10, INT),
        Column("flags", _("Flags"), 30),
        Column("handler", _("Handler"), 10),
        Column("closed_on", _("Closed on"), 12, DATE),
    )

    def __init__(self, cases=(), flags=None, **kwargs):
        super().__init__(**kwargs)
        self.cases = cases
        self.flags = flags or {}

    def rows(self):
        for case in self.cases:
            yield [
                case.branch.name,
                case.person.name,
                case.get_kind_display(),
                case.opened_on,
                case.last_contact_on,
                case.last_life_on,
                case.dues_paid_until,
                case.letter_number,
                case.letter_valid_until,
                case.destination,
                case.receipt_on,
                case.get_disposition_display() if case.disposition else "",
                case.attempts.count(),
                "；".join(f.message for f in self.flags.get(case.pk, ())),
                case.handler,
                case.closed_on,
            ]


@register_exporter
class MeetingExporter(Exporter):
    identifier = "branches.meetings"
    title = _("Meeting records")
    columns = (
        Column("date", _("Date"), 12, DATE),
        Column("type", _("Type"), 20),
        Column("also", _("Also counts as"), 20),
        Column("theme", _("Theme"), 30),
        Column("due", _("Due to attend"), 8, INT),
        Column("present", _("Attended"), 8, INT),
        Column("absentees", _("Absentees and reasons"), 30),
        Column("chair", _("Chair"), 10),
    )

    def __init__(self, meetings=(), **kwargs):
        super().__init__(**kwargs)
        self.meetings = meetings

    def rows(self):
        for m in self.meetings:
            yield [
                m.date,
                m.get_meeting_type_display(),
                "、".join(m.also_counts_as_labels()),
                m.theme,
                m.due_count,
                m.present_count,
                m.absentees,
                m.chair,
            ]
