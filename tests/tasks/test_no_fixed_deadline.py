"""Items without a fixed date (及时) or tied to the rating (年度考核前): nothing sorts, counts or
reminds by an invented date, and every page says which deadline applies."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEntry
from ratings.models import RatingRound
from tasks.models import Assignment, DeadlineRule, Reminder, TaskItem, describe_deadline
from tasks.preferences import regenerate_calendar_token
from tasks.publishing import publish_notice, resolve_rating_deadlines
from tasks.reminders.planning import plan_reminders
from tests.builders.tasks import assignment_of, make_item, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read the pages' English msgids (the Chinese comes from the catalogue)."""
    settings.LANGUAGE_CODE = "en"


def _notice_with_open_items(committee):
    notice = make_notice(committee, year=2026)
    dated = make_item(notice, title="有期限的任务", deadline=date(2026, 6, 1))
    none = make_item(notice, area_number=2, title="及时报送的任务")
    rating = make_item(notice, area_number=3, title="考核前汇报的任务")
    TaskItem.objects.filter(pk=none.pk).update(deadline=None, deadline_rule=DeadlineRule.NONE)
    TaskItem.objects.filter(pk=rating.pk).update(
        deadline=None, deadline_rule=DeadlineRule.BEFORE_RATING
    )
    publish_notice(notice.pk, None)
    return notice, dated, none, rating


def test_describe_deadline_says_which_kind_of_deadline():
    assert describe_deadline(DeadlineRule.FIXED, date(2026, 6, 1)) == "2026-06-01"
    assert describe_deadline(DeadlineRule.NONE, None) == "No fixed deadline"
    assert describe_deadline(DeadlineRule.BEFORE_RATING, None) == "Before the annual rating"
    assert describe_deadline(DeadlineRule.BEFORE_RATING, date(2026, 12, 20)) == (
        "Before the annual rating (2026-12-20)"
    )


def test_open_items_are_never_overdue_late_or_reminded(personas):
    notice, dated, none, rating = _notice_with_open_items(personas.tree["committee"])
    branch = personas.tree["branch_a"]
    overdue = set(Assignment.objects.overdue().values_list("item_id", flat=True))
    assert overdue == {dated.pk}
    for item in (none, rating):
        a = assignment_of(item, branch)
        assert a.due_date is None and a.due_at is None and a.days_left is None
        assert not a.is_overdue and not a.is_late and a.days_overdue == 0
        plan_reminders(a)
        assert not Reminder.objects.filter(assignment=a).exists()
    flags = Assignment.objects.with_flags().filter(item=none).get(branch=branch)
    assert not flags.is_overdue_db and not flags.is_late_db
    # Sorted after every dated item, without errors.
    order = list(Assignment.objects.filter(branch=branch).by_deadline())
    assert order[0].item_id == dated.pk


def test_the_todo_list_dashboard_and_detail_say_which_deadline(personas):
    notice, dated, none, rating = _notice_with_open_items(personas.tree["committee"])
    branch = personas.tree["branch_a"]
    secretary = personas.client("secretary_a")
    todo = secretary.get(reverse("tasks:todo_list", args=[branch.pk])).content.decode()
    assert "No fixed deadline" in todo and "Before the annual rating" in todo
    detail = secretary.get(
        reverse("tasks:assignment_detail", args=[assignment_of(none, branch).pk])
    ).content.decode()
    assert "No fixed deadline" in detail
    office = personas.client("office")
    dashboard = office.get(reverse("tasks:notice_dashboard", args=[notice.pk]))
    assert dashboard.status_code == 200
    assert "No fixed deadline" in dashboard.content.decode()
    page = office.get(reverse("tasks:notice_detail", args=[notice.pk])).content.decode()
    assert "No fixed deadline" in page and "Before the annual rating" in page


def test_the_calendar_feed_leaves_out_items_without_a_date(personas):
    notice, dated, none, rating = _notice_with_open_items(personas.tree["committee"])
    for name in ("secretary_a", "office"):
        token = regenerate_calendar_token(personas.people[name])
        response = Client().get(reverse("tasks:calendar_feed", args=[token]))
        assert response.status_code == 200
        text = response.content.decode().replace("\r\n ", "")
        assert "有期限的任务" in text
        assert "及时报送的任务" not in text and "考核前汇报的任务" not in text


def test_the_rating_round_gives_before_rating_items_their_date(personas):
    committee = personas.tree["committee"]
    notice, dated, none, rating = _notice_with_open_items(committee)
    RatingRound.objects.create(
        committee=committee,
        year=2026,
        self_assessment_due=date(2026, 11, 20),
        decision_due=date(2026, 12, 20),
    )
    rating.refresh_from_db()
    none.refresh_from_db()
    assert rating.deadline == date(2026, 12, 20) and none.deadline is None
    assert rating.deadline_text == "Before the annual rating (2026-12-20)"
    a = assignment_of(rating, personas.tree["branch_a"])
    assert Reminder.objects.filter(assignment=a, deadline=date(2026, 12, 20)).exists()
    assert AuditEntry.objects.filter(action="tasks.item.deadline_resolved").count() == 1
    # Resolving again changes nothing.
    assert resolve_rating_deadlines(committee.pk, 2026, date(2026, 12, 20)) == 0


def test_publishing_after_the_round_opened_takes_its_date(personas):
    committee = personas.tree["committee"]
    RatingRound.objects.create(
        committee=committee,
        year=2026,
        self_assessment_due=date(2026, 11, 20),
        decision_due=date(2026, 12, 18),
    )
    notice, dated, none, rating = _notice_with_open_items(committee)
    rating.refresh_from_db()
    assert rating.deadline == date(2026, 12, 18)


def test_the_item_form_accepts_no_fixed_deadline_and_needs_a_date_for_a_fixed_one(personas):
    committee = personas.tree["committee"]
    notice = make_notice(committee, year=2026)
    area = make_item(notice).area
    client = personas.client("office")
    url = reverse("tasks:item_create", args=[notice.pk])
    base = {"area": area.pk, "title": "及时反馈意见", "scope": "all", "kind": "report"}
    response = client.post(url, {**base, "deadline_rule": "fixed", "deadline": ""})
    assert response.status_code == 200 and not TaskItem.objects.filter(title="及时反馈意见")
    response = client.post(url, {**base, "deadline_rule": "none", "deadline": "2026-07-01"})
    assert response.status_code == 302
    item = TaskItem.objects.get(title="及时反馈意见")
    assert item.deadline is None and item.deadline_rule == DeadlineRule.NONE
