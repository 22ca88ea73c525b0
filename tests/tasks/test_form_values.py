"""The office's writing forms (notice, area, task item, extension, review comment) refuse any
value the model would not store — dates beyond the window, numbers beyond the column, long or
control-character text — with a form error, never a server error, and save nothing then."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tasks.models import Assignment, AssignmentStatus, Notice, Reminder, TaskArea, TaskItem
from tests.builders.tasks import assignment_of, make_item, make_notice, published_item
from tests.extreme_values import (
    EXAMPLES,
    assert_not_server_error,
    form_values,
    need_postgresql,
    one_example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(personas):
    notice = make_notice(personas.tree["committee"])
    TaskArea.objects.create(notice=notice, number=1, title="学习")
    return notice


@pytest.fixture
def submitted(personas):
    """Branch A's assignment of a published item, submitted; the deadline 2030-10-31."""
    item = published_item(personas.tree["committee"], deadline=date(2030, 10, 31))
    submitted = {"status": AssignmentStatus.SUBMITTED, "report_text": "完成"}
    Assignment.objects.filter(item=item).update(**submitted)
    return assignment_of(item, personas.tree["branch_a"])


def _item_post(area, **values):
    return {
        "area": area.pk,
        "label": "1",
        "title": "上报学习情况",
        "deadline": "2030-10-31",
        "scope": "in_service",
        "kind": "report",
        "instructions": "",
        **values,
    }


def test_extension_until_the_end_of_time_is_refused(personas):
    item = published_item(personas.tree["committee"], deadline=date(2030, 10, 31))
    a = assignment_of(item, personas.tree["branch_a"])
    reminders = Reminder.objects.count()
    response = personas.client("office").post(
        reverse("tasks:assignment_extend", args=[a.pk]), {"until": "9999-12-31", "reason": "x"}
    )
    assert response.status_code == 200  # the page again, with the error on the date
    assert Assignment.objects.get(pk=a.pk).extended_until is None
    assert Reminder.objects.count() == reminders


def test_task_deadline_at_the_end_of_time_is_refused(personas):
    notice = make_notice(personas.tree["committee"])
    item = make_item(notice, deadline=date(2030, 10, 31))
    client = personas.client("office")
    created = client.post(
        reverse("tasks:item_create", args=[notice.pk]),
        _item_post(item.area, title="新任务", deadline="9999-12-31"),
    )
    assert created.status_code == 200 and "deadline" in created.context["form"].errors
    assert not TaskItem.objects.filter(title="新任务").exists()
    published = published_item(personas.tree["committee"], deadline=date(2030, 10, 31))
    edited = client.post(
        reverse("tasks:item_edit", args=[published.pk]),
        _item_post(published.area, title=published.title, deadline="9999-12-31"),
    )
    assert edited.status_code == 200 and "deadline" in edited.context["form"].errors
    assert TaskItem.objects.get(pk=published.pk).deadline == date(2030, 10, 31)


@pytest.mark.postgres
@EXAMPLES
@given(
    year=form_values,
    issue=form_values,
    day=form_values,
    title=form_values,
    introduction=form_values,
)
def test_notice_form(personas, year, issue, day, title, introduction):
    need_postgresql()
    with one_example():
        committee = personas.tree["committee"]
        response = personas.client("office").post(
            reverse("tasks:notice_create"),
            {
                "committee": committee.pk,
                "year": year,
                "issue_number": issue,
                "date": day,
                "title": title,
                "introduction": introduction,
            },
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert not Notice.objects.exists()
        for notice in Notice.objects.all():
            notice.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(number=form_values, title=form_values, description=form_values)
def test_area_form(personas, notice, number, title, description):
    need_postgresql()
    with one_example():
        response = personas.client("office").post(
            reverse("tasks:area_create", args=[notice.pk]),
            {"number": number, "title": title, "description": description},
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert notice.areas.count() == 1
        for area in TaskArea.objects.all():
            area.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(label=form_values, title=form_values, deadline=form_values, instructions=form_values)
def test_task_item_form(personas, notice, label, title, deadline, instructions):
    need_postgresql()
    with one_example():
        response = personas.client("office").post(
            reverse("tasks:item_create", args=[notice.pk]),
            _item_post(
                notice.areas.get(),
                label=label,
                title=title,
                deadline=deadline,
                instructions=instructions,
            ),
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert not TaskItem.objects.exists()
        for item in TaskItem.objects.all():
            item.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(until=form_values, reason=form_values)
def test_extension_form(personas, submitted, until, reason):
    need_postgresql()
    with one_example():
        response = personas.client("office").post(
            reverse("tasks:assignment_extend", args=[submitted.pk]),
            {"until": until, "reason": reason},
        )
        assert_not_server_error(response)
        submitted.refresh_from_db()
        submitted.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(action=st.sampled_from(["approve", "return", ""]), comment=form_values)
def test_review_comment(personas, submitted, action, comment):
    need_postgresql()
    with one_example():
        response = personas.client("office").post(
            reverse("tasks:assignment_review", args=[submitted.pk]),
            {"action": action, "comment": comment},
        )
        assert_not_server_error(response)
        submitted.refresh_from_db()
        submitted.full_clean()
