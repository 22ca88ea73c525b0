"""四、Every meeting record of the year: date, kind, topic, attendance with reasons, resolutions
and votes, follow-ups."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import AttendanceStatus, MeetingRecord
from dossiers.data import DossierData
from dossiers.document import DossierDocument, text_of
from dossiers.sections.base import Section


def absences(meeting: MeetingRecord) -> str:
    """Who was absent and why, from the attendance rows (or the typed list of older records)."""
    absent = [
        f"{row.person.name}（{row.get_absence_reason_display() or _('No reason given')}）"
        for row in meeting.attendance.all()
        if row.status == AttendanceStatus.ABSENT
    ]
    if absent:
        return "、".join(absent)
    return "；".join(line.strip() for line in meeting.absentees.splitlines() if line.strip())


def write_meeting(doc: DossierDocument, meeting: MeetingRecord) -> None:
    doc.heading(
        f"{text_of(meeting.date)} {meeting.get_meeting_type_display()} · {meeting.theme}", 3
    )
    times = " – ".join(t.strftime("%H:%M") for t in (meeting.start_time, meeting.end_time) if t)
    doc.pairs(
        [
            (
                _("Type"),
                "、".join([meeting.get_meeting_type_display(), *meeting.also_counts_as_labels()]),
            ),
            (_("Date"), meeting.date),
            (_("Time"), times),
            (_("Place"), meeting.place),
            (_("Chair"), meeting.chair),
            (_("Recorder"), meeting.recorder),
            (
                _("Attendance"),
                _("%(present)s of %(due)s attended")
                % {"present": meeting.present_count, "due": meeting.due_count},
            ),
            (_("Absent, with reasons"), absences(meeting)),
            (_("Observers"), meeting.observers),
            (_("Topics"), meeting.topics),
            (_("Key points and resolutions"), meeting.summary),
        ]
    )
    resolutions = list(meeting.resolutions.all())
    if resolutions:
        doc.table(
            [_("Motion"), _("For"), _("Against"), _("Abstain"), _("In writing"), _("Outcome")],
            [
                (
                    r.text,
                    r.votes_for,
                    r.votes_against,
                    r.votes_abstain,
                    f"{r.written_for}/{r.written_against}",
                    r.get_outcome_display(),
                )
                for r in resolutions
            ],
            (60, 15, 15, 15, 20, 31),
        )
    follow_ups = list(meeting.follow_ups.all())
    if follow_ups:
        doc.table(
            [_("Follow-up"), _("Owner"), _("Deadline"), _("Done on")],
            [(f.task, f.owner, f.deadline, f.done_on) for f in follow_ups],
            (70, 26, 30, 30),
        )


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    if not data.meetings:
        doc.none(_("No meeting is recorded for %(year)s.") % {"year": data.year})
        return
    doc.table(
        [_("No."), _("Date"), _("Type"), _("Theme"), _("Attended")],
        [
            (
                number,
                m.date,
                m.get_meeting_type_display(),
                m.theme,
                f"{m.present_count}/{m.due_count}",
            )
            for number, m in enumerate(data.meetings, 1)
        ],
        (12, 30, 44, 50, 20),
    )
    for meeting in data.meetings:
        write_meeting(doc, meeting)


SECTION = Section("meetings", gettext_lazy("Meeting records"), write)
