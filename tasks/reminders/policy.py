"""When reminders may go out: the policy row, quiet hours and whether an assignment still owes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tasks.models import OPEN_STATUSES, Assignment, ReminderPolicy
from tasks.models.notices import DEADLINE_TZ


def current_policy() -> ReminderPolicy:
    """The default policy row; an unsaved one with the built-in values if none exists."""
    return ReminderPolicy.objects.filter(is_default=True).first() or ReminderPolicy()


def in_quiet_hours(moment: datetime, policy: ReminderPolicy) -> bool:
    hour = timezone.localtime(moment, DEADLINE_TZ).hour
    start, end = policy.quiet_start_hour, policy.quiet_end_hour
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def hold_until_allowed(moment: datetime, policy: ReminderPolicy) -> datetime:
    """The first instant at or after ``moment`` outside quiet hours (held until their end)."""
    if not in_quiet_hours(moment, policy):
        return moment
    local = timezone.localtime(moment, DEADLINE_TZ)
    end = datetime.combine(local.date(), time(policy.quiet_end_hour), tzinfo=DEADLINE_TZ)
    return end if end > local else end + timedelta(days=1)


def at_send_hour(day: date, policy: ReminderPolicy) -> datetime:
    moment = datetime.combine(day, time(policy.send_hour), tzinfo=DEADLINE_TZ)
    return hold_until_allowed(moment, policy)


def wants_reminders(assignment: Assignment) -> bool:
    item = assignment.item
    return (
        assignment.status in OPEN_STATUSES
        and item.withdrawn_at is None
        and item.area.notice.is_published
    )
