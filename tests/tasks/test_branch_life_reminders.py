"""Branch-life reminders (relation flags, development steps due) through the reminder rows."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.urls import reverse

from branches.models import RelationCase, RelationKind, RoleKind
from branches.services.development import development_due
from branches.services.relations import save_case
from tasks.models import (
    DeliveryChannel,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.branch_life import plan_branch_life_reminders
from tasks.reminders.claiming import beat_pass, run_pass
from tasks.reminders.planning import plan_person_reminder
from tasks.reminders.sending import deliver_reminder
from tests.builders.branch_life import applicant_case, members
from tests.builders.branches import make_person

TODAY = date(2022, 9, 20)  # six months after the last contact below


def sh(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=DEADLINE_TZ)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"


@pytest.fixture
def people(personas, tree):
    secretary = personas.people["secretary_a"]
    secretary.email = "secretary@example.cn"
    secretary.save(update_fields=["email"])
    organiser = make_person(
        "组织委员",
        tree["branch_a"],
        username="organiser_a",
        email="organiser@example.cn",
        roles=[(RoleKind.ORGANISATION_MEMBER, tree["branch_a"])],
    )
    return {"secretary": secretary, "organiser": organiser}


def lost_contact_case(tree, **fields) -> RelationCase:
    person = members(tree["branch_a"], 1)[0]
    return save_case(
        RelationCase(
            person=person,
            branch=tree["branch_a"],
            kind=RelationKind.LOST_CONTACT,
            opened_on=date(2022, 1, 1),
            last_contact_on=date(2022, 3, 15),
            **fields,
        ),
        user=None,
    )


def life_rows() -> list[Reminder]:
    return list(Reminder.objects.filter(kind=ReminderKind.BRANCH_LIFE).order_by("person_id"))


def test_lost_contact_case_plans_one_reminder_per_editor(people, tree):
    case = lost_contact_case(tree)
    assert plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30)) == 2
    rows = life_rows()
    assert {r.person_id for r in rows} == {people["secretary"].pk, people["organiser"].pk}
    assert {r.slot for r in rows} == {f"relation:{case.pk}:no_contact:2022-09"}
    assert all(r.link == reverse("branches:branch_relation_case", args=[case.pk]) for r in rows)
    assert all(case.person.name in r.title and r.body for r in rows)
    assert all(r.due_at == sh(TODAY, 8, 30) for r in rows)


def test_planning_twice_creates_no_second_row_and_a_flag_repeats_monthly(people, tree):
    lost_contact_case(tree)
    assert plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30)) == 2
    assert plan_branch_life_reminders(TODAY, now=sh(TODAY, 17)) == 0
    assert plan_branch_life_reminders(date(2022, 9, 30), now=sh(date(2022, 9, 30), 9)) == 0
    assert len(life_rows()) == 2
    # Still flagged next month: told once more.
    assert plan_branch_life_reminders(date(2022, 10, 3), now=sh(date(2022, 10, 3), 9)) == 2


def test_the_beat_sends_it_once_by_email_and_notification(people, tree, mailoutbox):
    case = lost_contact_case(tree)
    plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30))
    counts = run_pass(sh(TODAY, 8, 31))
    assert counts.get(ReminderStatus.SENT) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["organiser@example.cn", "secretary@example.cn"]
    assert f"/relations/{case.pk}/" in mailoutbox[0].body
    notes = Notification.objects.filter(
        link=reverse("branches:branch_relation_case", args=[case.pk])
    )
    assert sorted(n.user_id for n in notes) == sorted(
        [people["secretary"].user_id, people["organiser"].user_id]
    )
    assert all(r.status == ReminderStatus.SENT for r in life_rows())
    # A second beat, a replanning and a redelivered message send nothing more.
    plan_branch_life_reminders(TODAY, now=sh(TODAY, 9))
    assert beat_pass(sh(TODAY, 9, 1)) == []
    assert deliver_reminder(life_rows()[0].pk, now=sh(TODAY, 9, 2)) == "already sent"
    assert len(mailoutbox) == 2
    assert Notification.objects.count() == 2
    assert ReminderDelivery.objects.filter(channel=DeliveryChannel.EMAIL).count() == 2


def test_rows_of_one_person_do_not_supersede_each_other(people, tree, mailoutbox):
    lost_contact_case(tree)
    lost_contact_case(tree)
    plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30))
    assert run_pass(sh(TODAY, 8, 31)) == {ReminderStatus.SENT: 4}
    assert len(mailoutbox) == 4


def test_quiet_hours_hold_the_reminder_until_morning(people, tree, mailoutbox):
    ReminderPolicy.objects.create(is_default=True, quiet_start_hour=21, quiet_end_hour=8)
    late = sh(TODAY, 22)
    assert plan_person_reminder(
        people["secretary"], key="test:1", title="T", body="B", link="/", due_at=late
    )
    row = life_rows()[0]
    assert row.due_at == sh(date(2022, 9, 21), 8)
    assert run_pass(sh(TODAY, 23)) == {}
    assert run_pass(sh(date(2022, 9, 21), 7, 59)) == {}
    assert mailoutbox == []
    assert run_pass(sh(date(2022, 9, 21), 8, 1)) == {ReminderStatus.SENT: 1}
    assert len(mailoutbox) == 1


def test_a_development_step_due_this_month_plans_one(people, tree):
    case = applicant_case(tree["branch_a"], applied=date(2022, 10, 10))  # talk due 2022-11-10
    assert plan_branch_life_reminders(date(2022, 10, 20), now=sh(date(2022, 10, 20), 9)) == 0
    day = date(2022, 11, 1)
    assert plan_branch_life_reminders(day, now=sh(day, 8, 30)) == 2
    (due,) = development_due(day)
    rows = life_rows()
    assert {r.slot for r in rows} == {f"development:{case.pk}:{due.step.pk}"}
    assert {r.person_id for r in rows} == {people["secretary"].pk, people["organiser"].pk}
    assert {r.link for r in rows} == {reverse("branches:branch_development_case", args=[case.pk])}
    assert all("2022-11-10" in r.body for r in rows)
    # Still due, then overdue, on later days: not told again.
    assert plan_branch_life_reminders(date(2022, 11, 2), now=sh(date(2022, 11, 2), 9)) == 0
    assert plan_branch_life_reminders(date(2022, 12, 1), now=sh(date(2022, 12, 1), 9)) == 0


def test_a_closed_case_plans_nothing(people, tree):
    lost_contact_case(tree, closed_on=date(2022, 6, 1))
    assert plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30)) == 0
    assert life_rows() == []


def test_plain_members_and_other_branches_are_not_told(personas, people, tree):
    lost_contact_case(tree)
    plan_branch_life_reminders(TODAY, now=sh(TODAY, 8, 30))
    told = {r.person_id for r in life_rows()}
    assert personas.people["member"].pk not in told
    assert personas.people["secretary_b"].pk not in told
