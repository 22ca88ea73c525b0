"""Planning deadline reminders: every offset, quiet hours, extensions, submission, overdue."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from tasks import services
from tasks.models import Reminder, ReminderKind, ReminderPolicy, ReminderStatus
from tasks.models.notices import DEADLINE_TZ
from tasks.publishing import withdraw_item
from tasks.reminders.claiming import claim_due_reminders
from tasks.reminders.planning import plan_reminders, slots_for
from tasks.reminders.policy import hold_until_allowed
from tests.builders.tasks import assignment_of, published_item

DEADLINE = date(2030, 3, 20)


def sh(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=DEADLINE_TZ)


@pytest.fixture
def assignment(personas):
    item = published_item(personas.tree["committee"], deadline=DEADLINE)
    return assignment_of(item, personas.tree["branch_a"])


def planned(assignment) -> list[tuple[str, int, datetime]]:
    rows = Reminder.objects.filter(assignment=assignment, status=ReminderStatus.PLANNED)
    return [(r.kind, r.offset, r.due_at) for r in rows.order_by("due_at")]


def test_the_default_policy_is_a_row(db):
    policy = ReminderPolicy.objects.get(is_default=True)
    assert policy.days_before == [7, 3, 1, 0]
    assert (policy.overdue_interval_days, policy.overdue_max_count) == (2, 3)
    assert (policy.quiet_start_hour, policy.quiet_end_hour) == (21, 8)


def test_publishing_plans_every_offset_and_the_overdue_ones(assignment):
    assert planned(assignment) == [
        (ReminderKind.BEFORE, 7, sh(date(2030, 3, 13), 9)),
        (ReminderKind.BEFORE, 3, sh(date(2030, 3, 17), 9)),
        (ReminderKind.BEFORE, 1, sh(date(2030, 3, 19), 9)),
        (ReminderKind.BEFORE, 0, sh(date(2030, 3, 20), 9)),
        (ReminderKind.OVERDUE, -2, sh(date(2030, 3, 22), 9)),
        (ReminderKind.OVERDUE, -4, sh(date(2030, 3, 24), 9)),
        (ReminderKind.OVERDUE, -6, sh(date(2030, 3, 26), 9)),
    ]


def test_planning_is_idempotent(assignment):
    before = list(Reminder.objects.filter(assignment=assignment).values_list("pk", flat=True))
    assert plan_reminders(assignment) == 0
    assert plan_reminders(assignment) == 0
    after = list(Reminder.objects.filter(assignment=assignment).values_list("pk", flat=True))
    assert before == after


def test_slots_already_past_are_not_planned(assignment):
    Reminder.objects.filter(assignment=assignment).delete()
    plan_reminders(assignment, now=sh(date(2030, 3, 18), 12))
    assert [offset for _, offset, _ in planned(assignment)] == [1, 0, -2, -4, -6]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (sh(date(2030, 3, 1), 20, 59), sh(date(2030, 3, 1), 20, 59)),
        (sh(date(2030, 3, 1), 21, 0), sh(date(2030, 3, 2), 8)),
        (sh(date(2030, 3, 1), 23, 30), sh(date(2030, 3, 2), 8)),
        (sh(date(2030, 3, 2), 0, 10), sh(date(2030, 3, 2), 8)),
        (sh(date(2030, 3, 2), 7, 59), sh(date(2030, 3, 2), 8)),
        (sh(date(2030, 3, 2), 8, 0), sh(date(2030, 3, 2), 8)),
    ],
)
def test_quiet_hours_hold_until_eight(db, moment, expected):
    assert hold_until_allowed(moment, ReminderPolicy()) == expected


def test_a_send_hour_inside_quiet_hours_is_held_until_eight(db):
    early = ReminderPolicy(send_hour=6)
    late = ReminderPolicy(send_hour=22)
    assert slots_for(DEADLINE, early)[0].due_at == sh(date(2030, 3, 13), 8)
    assert slots_for(DEADLINE, late)[0].due_at == sh(date(2030, 3, 14), 8)


def test_nothing_is_claimed_in_quiet_hours(assignment):
    first = Reminder.objects.filter(assignment=assignment).first()
    Reminder.objects.filter(pk=first.pk).update(due_at=sh(date(2030, 3, 1), 20))
    assert claim_due_reminders(sh(date(2030, 3, 1), 22)) == []
    assert claim_due_reminders(sh(date(2030, 3, 2), 7, 59)) == []
    assert claim_due_reminders(sh(date(2030, 3, 2), 8)) == [first.pk]


def test_an_extension_moves_the_reminders(personas, assignment):
    services.grant_extension(assignment.pk, personas.user("office"), until=date(2030, 4, 10))
    rows = planned(assignment)
    assert rows[0] == (ReminderKind.BEFORE, 7, sh(date(2030, 4, 3), 9))
    assert rows[-1] == (ReminderKind.OVERDUE, -6, sh(date(2030, 4, 16), 9))
    assert len(rows) == 7
    assert not Reminder.objects.filter(assignment=assignment, deadline=DEADLINE).exists()


def test_an_extension_keeps_what_was_already_sent(personas, assignment):
    first = Reminder.objects.get(assignment=assignment, offset=7)
    Reminder.objects.filter(pk=first.pk).update(
        status=ReminderStatus.SENT, claimed_at=sh(date(2030, 3, 13), 9), sent_at=first.due_at
    )
    services.grant_extension(assignment.pk, personas.user("office"), until=date(2030, 4, 10))
    assert Reminder.objects.get(pk=first.pk).status == ReminderStatus.SENT
    assert Reminder.objects.filter(assignment=assignment, offset=7).count() == 2


def test_submission_cancels_the_pending_reminders_and_a_return_revives_them(personas, assignment):
    services.submit(assignment.pk, personas.user("secretary_a"), apply=lambda a: _report(a))
    assert planned(assignment) == []
    assert Reminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 7
    services.return_for_changes(assignment.pk, personas.user("office"), comment="补充")
    assert len(planned(assignment)) == 7


def test_approval_leaves_nothing_pending(personas, assignment):
    services.submit(assignment.pk, personas.user("secretary_a"), apply=lambda a: _report(a))
    services.approve(assignment.pk, personas.user("office"))
    assert planned(assignment) == []


def test_withdrawing_the_item_cancels(personas, assignment):

    withdraw_item(assignment.item_id, personas.user("office"))
    assert planned(assignment) == []


def test_overdue_every_two_days_at_most_three_times(assignment):
    overdue = Reminder.objects.filter(assignment=assignment, kind=ReminderKind.OVERDUE)
    assert [r.due_at.astimezone(DEADLINE_TZ).date() for r in overdue] == [
        date(2030, 3, 22),
        date(2030, 3, 24),
        date(2030, 3, 26),
    ]
    # One pass a day: each reminder is claimed on its day, once.
    claimed_days = []
    for day in range(13, 31):
        moment = sh(date(2030, 3, day), 9)
        if set(claim_due_reminders(moment)) & set(overdue.values_list("pk", flat=True)):
            claimed_days.append(day)
    assert claimed_days == [22, 24, 26]
    assert claim_due_reminders(sh(date(2030, 5, 30), 9)) == []


def test_after_an_outage_only_the_latest_due_reminder_is_claimed(assignment):
    claimed = claim_due_reminders(sh(date(2030, 3, 21), 9))
    mine = Reminder.objects.filter(assignment=assignment)
    assert list(mine.filter(pk__in=claimed).values_list("offset", flat=True)) == [0]
    assert mine.filter(status=ReminderStatus.CANCELLED).count() == 3


def test_the_office_can_change_the_policy(assignment):
    ReminderPolicy.objects.filter(is_default=True).update(
        days_before=[5], overdue_max_count=1, send_hour=10
    )
    Reminder.objects.filter(assignment=assignment).delete()
    plan_reminders(assignment, now=sh(date(2030, 3, 1), 0))
    assert planned(assignment) == [
        (ReminderKind.BEFORE, 5, sh(date(2030, 3, 15), 10)),
        (ReminderKind.OVERDUE, -2, sh(date(2030, 3, 22), 10)),
    ]


def _report(assignment):
    assignment.report_text = "已完成学习。"
    return ["report_text"]
