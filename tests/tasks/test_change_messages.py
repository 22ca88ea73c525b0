"""Change messages: who hears of returned, approved, extended, published, changed, withdrawn
work and of new comments, once, through the reminder rows (quiet hours, preferences)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organisation, OrgKind, RoleKind
from portal.models import OutboxMessage
from tasks import preferences, services
from tasks.errors import TransitionNotAllowed
from tasks.models import (
    AssignmentComment,
    ChangeKind,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.publishing import change_deadline, publish_notice, withdraw_item
from tasks.reminders.claiming import run_pass
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING, tick=False)
DAY = WORKDAY_MORNING.date()


def sh(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=DEADLINE_TZ)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"


@pytest.fixture
def people(personas, tree):
    for name in ("secretary_a", "secretary_b", "office"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    organiser = make_person(
        "组织委员",
        tree["branch_a"],
        username="organiser_a",
        email="organiser_a@example.cn",
        roles=[(RoleKind.ORGANISATION_MEMBER, tree["branch_a"])],
    )
    return {**personas.people, "organiser": organiser}


def live_item(personas):
    """A published item, without the rows that told of its publication (tested apart)."""
    return published_item(personas.tree["committee"])


@pytest.fixture
def submitted(personas, people):
    item = live_item(personas)
    assignment = assignment_of(item, personas.tree["branch_a"])
    submit(personas, assignment)
    return assignment


def _text(locked):
    locked.report_text = "已完成学习"
    return ["report_text"]


def submit(personas, assignment):
    services.submit(assignment.pk, personas.user("secretary_a"), apply=_text)


def change_rows(kind: str = "") -> list[Reminder]:
    rows = Reminder.objects.filter(kind=ReminderKind.CHANGE).order_by("person_id", "id")
    return list(rows.filter(slot__startswith=f"{kind}:") if kind else rows)


def recipients(kind: str = "") -> list[int]:
    return sorted(r.person_id for r in change_rows(kind))


def branch_a_people(people) -> list[int]:
    return sorted([people["secretary_a"].pk, people["organiser"].pk])


def test_a_return_tells_the_branch_once_with_the_comment(personas, people, submitted, mailoutbox):
    services.return_for_changes(submitted.pk, personas.user("office"), comment="请补充照片")
    assert recipients(ChangeKind.RETURNED) == branch_a_people(people)
    row = change_rows()[0]
    assert "请补充照片" in row.body
    assert row.link == reverse("tasks:assignment_detail", args=[submitted.pk])
    assert row.due_at == WORKDAY_MORNING and row.assignment_id is None
    # Refused when repeated: no second row.
    with pytest.raises(TransitionNotAllowed):
        services.return_for_changes(submitted.pk, personas.user("office"), comment="again")
    assert len(change_rows()) == 2
    # No outbox message of the old log-only job any more: the rows are the notification.
    assert not OutboxMessage.objects.filter(task="tasks.notify_assignment_transition").exists()
    # The beat pass sends each one: a portal notification and an email, once.
    assert run_pass(WORKDAY_MORNING) == {ReminderStatus.SENT: 2}
    assert sorted(m.to[0] for m in mailoutbox) == [
        "organiser_a@example.cn",
        "secretary_a@example.cn",
    ]
    assert "请补充照片" in mailoutbox[0].body and "请补充照片" in mailoutbox[0].alternatives[0][0]
    assert f"/assignments/{submitted.pk}/" in mailoutbox[0].body
    assert Notification.objects.filter(user=personas.user("secretary_a")).count() == 1
    assert run_pass(WORKDAY_MORNING + timedelta(minutes=1)) == {}
    assert len(mailoutbox) == 2


def test_an_approval_tells_the_branch_and_keeps_the_comment(personas, people, submitted):
    services.approve(submitted.pk, personas.user("office"), comment="很好")
    assert recipients(ChangeKind.APPROVED) == branch_a_people(people)
    assert all("很好" in r.body for r in change_rows())
    comment = AssignmentComment.objects.get(assignment=submitted)
    assert (comment.body, comment.step, comment.side) == ("很好", "approved", "office")


def test_a_resubmission_returned_again_is_told_again(personas, people, submitted):
    office = personas.user("office")
    services.return_for_changes(submitted.pk, office, comment="一")
    submit(personas, submitted)
    services.return_for_changes(submitted.pk, office, comment="二")
    assert len(change_rows(ChangeKind.RETURNED)) == 4
    assert AssignmentComment.objects.filter(assignment=submitted).count() == 2


def test_an_extension_tells_the_branch_but_an_unchanged_one_does_not(personas, people):
    item = live_item(personas)
    assignment = assignment_of(item, personas.tree["branch_a"])
    until = item.deadline + timedelta(days=5)
    office = personas.user("office")
    services.grant_extension(assignment.pk, office, until=until, reason="出差")
    assert recipients(ChangeKind.EXTENDED) == branch_a_people(people)
    assert all(until.isoformat() in r.body and "出差" in r.body for r in change_rows())
    services.grant_extension(assignment.pk, office, until=until)  # the same date again
    assert len(change_rows()) == 2


def test_the_office_is_not_told_of_what_the_branch_hears(personas, people, submitted):
    services.approve(submitted.pk, personas.user("office"))
    assert people["office"].pk not in recipients()
    assert people["secretary_b"].pk not in recipients()


def test_a_deadline_change_and_a_withdrawal_tell_the_branches_that_owe_it(personas, people):
    item = live_item(personas)
    office = personas.user("office")
    change_deadline(item.pk, office, item.deadline + timedelta(days=3))
    everyone = sorted([*branch_a_people(people), people["secretary_b"].pk])
    assert recipients(ChangeKind.ITEM_CHANGED) == everyone
    a = assignment_of(item, personas.tree["branch_a"])
    row = next(r for r in change_rows() if r.person_id == people["secretary_a"].pk)
    assert row.link == reverse("tasks:assignment_detail", args=[a.pk])
    # A second change of the deadline is a second event.
    change_deadline(item.pk, office, item.deadline + timedelta(days=4))
    assert len(change_rows(ChangeKind.ITEM_CHANGED)) == 2 * len(everyone)
    withdraw_item(item.pk, office, "重复下发")
    withdrawn = change_rows(ChangeKind.WITHDRAWN)
    assert sorted(r.person_id for r in withdrawn) == everyone
    assert all("重复下发" in r.body for r in withdrawn)
    # The assignment page is gone once withdrawn: the message links to the to-do list.
    row = next(r for r in withdrawn if r.person_id == people["secretary_a"].pk)
    assert row.link == reverse("tasks:todo_list", args=[personas.tree["branch_a"].pk])


def test_a_published_notice_tells_each_secretary_once(personas, people):
    notice = make_notice(personas.tree["committee"])
    make_item(notice)
    make_item(notice, title="第二项")
    publish_notice(notice.pk, personas.user("office"))
    # Secretaries only (not the organisation member), one row each however many items.
    assert recipients(ChangeKind.PUBLISHED) == sorted(
        [people["secretary_a"].pk, people["secretary_b"].pk]
    )


def _branches(committee: Organisation, count: int) -> None:
    for number in range(count):
        branch = Organisation.objects.add_child(
            Organisation.objects.get(pk=committee.pk),
            create_kwargs={
                "name": f"第{number}支部",
                "kind": OrgKind.BRANCH,
                "founded_on": date(2015, 1, 1),
            },
        )
        make_person(
            f"书记{number}",
            branch,
            email=f"s{number}@example.cn",
            roles=[(RoleKind.SECRETARY, branch)],
        )


def _publish_queries(personas, branches: int) -> tuple[int, int]:
    committee = personas.tree["committee"]
    _branches(committee, branches)
    notice = make_notice(committee, title=f"通知{branches}")
    make_item(notice)
    with CaptureQueriesContext(connection) as queries:
        publish_notice(notice.pk, personas.user("office"))
    # Inserts are batched by the backend (SQLite takes fewer rows per statement): counted
    # apart, the other statements must not grow with the branches.
    statements = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith("INSERT")]
    return len(statements) - len(inserts), len(change_rows(ChangeKind.PUBLISHED))


def test_publishing_to_many_branches_costs_no_query_per_branch(personas, people):
    few, rows_few = _publish_queries(personas, 3)
    many, rows_many = _publish_queries(personas, 60)
    # One row per secretary (two of the personas' branches and the new ones), per notice.
    assert rows_few == 2 + 3 and rows_many == rows_few + (2 + 63)
    assert many == few


def test_quiet_hours_hold_a_change_until_morning(personas, people, submitted, time_machine):
    ReminderPolicy.objects.create(is_default=True, quiet_start_hour=21, quiet_end_hour=8)
    time_machine.move_to(sh(DAY, 22, 30), tick=False)
    services.return_for_changes(submitted.pk, personas.user("office"), comment="请补充")
    assert {r.due_at for r in change_rows()} == {sh(DAY + timedelta(days=1), 8)}
    assert run_pass(sh(DAY, 23)) == {}
    assert run_pass(sh(DAY + timedelta(days=1), 8, 1)) == {ReminderStatus.SENT: 2}


def test_a_muted_kind_skips_the_email_not_the_notification(personas, people, submitted, mailoutbox):
    preferences.set_muted_change_emails(people["secretary_a"], [ChangeKind.RETURNED, "bogus"])
    services.return_for_changes(submitted.pk, personas.user("office"), comment="请补充")
    run_pass(WORKDAY_MORNING)
    assert [m.to[0] for m in mailoutbox] == ["organiser_a@example.cn"]
    assert Notification.objects.filter(user=personas.user("secretary_a")).count() == 1
    skipped = ReminderDelivery.objects.get(
        person=people["secretary_a"], channel=DeliveryChannel.EMAIL
    )
    assert (skipped.status, skipped.note) == (DeliveryStatus.SKIPPED, "preference")
    # Other kinds still arrive by email.
    submit(personas, submitted)
    services.approve(submitted.pk, personas.user("office"))
    run_pass(WORKDAY_MORNING + timedelta(minutes=1))
    assert "secretary_a@example.cn" in [m.to[0] for m in mailoutbox]


def test_changes_due_together_do_not_supersede_each_other(personas, people, mailoutbox):
    item = live_item(personas)
    a = assignment_of(item, personas.tree["branch_a"])
    office = personas.user("office")
    services.grant_extension(a.pk, office, until=item.deadline + timedelta(days=2))
    services.post_comment(a.pk, office, "请按时提交")
    # Two rows for each of the branch's two people, claimed in one pass: all four go out.
    assert run_pass(WORKDAY_MORNING) == {ReminderStatus.SENT: 4}
    assert len(mailoutbox) == 4
