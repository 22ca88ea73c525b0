"""The office's edit forms (notice, task item), the comment on an assignment and a person's
notification settings refuse any value the model would not store with a form error, never a
server error, and change nothing then; the services behind the deadline and the extension
refuse a date outside the portal's window themselves (a caller other than the form)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tasks import publishing, services
from tasks.errors import TransitionNotAllowed
from tasks.models import (
    Assignment,
    AssignmentComment,
    ChangeKind,
    Notice,
    NotificationPreference,
    Reminder,
    TaskItem,
)
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
def draft_item(personas):
    return make_item(make_notice(personas.tree["committee"]), deadline=date(2030, 10, 31))


@pytest.fixture
def published(personas):
    return published_item(personas.tree["committee"], deadline=date(2030, 10, 31))


def _snapshot(model):
    return sorted(model.objects.values_list(), key=lambda row: row[0])


def test_extension_service_refuses_the_end_of_time(personas, published):
    a = assignment_of(published, personas.tree["branch_a"])
    reminders = Reminder.objects.count()
    with pytest.raises(TransitionNotAllowed):
        services.grant_extension(
            a.pk, personas.people["office"].user, until=date(9999, 12, 31), reason="x"
        )
    assert Assignment.objects.get(pk=a.pk).extended_until is None
    assert Reminder.objects.count() == reminders


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1)])
def test_deadline_service_refuses_a_date_outside_the_window(personas, published, day):
    reminders = Reminder.objects.count()
    with pytest.raises(TransitionNotAllowed):
        publishing.change_deadline(published.pk, personas.people["office"].user, day)
    assert TaskItem.objects.get(pk=published.pk).deadline == date(2030, 10, 31)
    assert Reminder.objects.count() == reminders


@pytest.mark.postgres
@EXAMPLES
@given(
    year=form_values,
    issue=form_values,
    day=form_values,
    title=form_values,
    introduction=form_values,
)
def test_notice_edit_form(personas, draft_item, year, issue, day, title, introduction):
    need_postgresql()
    with one_example():
        notice = draft_item.area.notice
        before = _snapshot(Notice)
        response = personas.client("office").post(
            reverse("tasks:notice_edit", args=[notice.pk]),
            {
                "committee": notice.committee_id,
                "year": year,
                "issue_number": issue,
                "date": day,
                "title": title,
                "introduction": introduction,
            },
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert _snapshot(Notice) == before
        for saved in Notice.objects.all():
            saved.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(
    published_notice=st.booleans(),
    label=form_values,
    title=form_values,
    deadline=form_values,
    instructions=form_values,
)
def test_task_item_edit_form(
    personas, draft_item, published, published_notice, label, title, deadline, instructions
):
    need_postgresql()
    with one_example():
        item = published if published_notice else draft_item
        before = (_snapshot(TaskItem), Reminder.objects.count())
        response = personas.client("office").post(
            reverse("tasks:item_edit", args=[item.pk]),
            {
                "area": item.area_id,
                "label": label,
                "title": title,
                "deadline": deadline,
                "scope": "in_service",
                "kind": "report",
                "instructions": instructions,
            },
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert (_snapshot(TaskItem), Reminder.objects.count()) == before
        for saved in TaskItem.objects.all():
            saved.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(who=st.sampled_from(["office", "secretary_a"]), body=form_values)
def test_assignment_comment_form(personas, published, who, body):
    need_postgresql()
    with one_example():
        a = assignment_of(published, personas.tree["branch_a"])
        response = personas.client(who).post(
            reverse("tasks:assignment_comment", args=[a.pk]), {"body": body}
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert not AssignmentComment.objects.exists()
        for comment in AssignmentComment.objects.all():
            comment.full_clean()


@pytest.mark.postgres
@EXAMPLES
@given(
    digests=form_values,
    kinds=st.lists(st.one_of(st.sampled_from(ChangeKind.values), form_values), max_size=4),
)
def test_notification_settings_form(personas, digests, kinds):
    need_postgresql()
    with one_example():
        response = personas.client("secretary_a").post(
            reverse("tasks:notification_settings"),
            {"digests_enabled": digests, "change_emails": kinds},
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert not NotificationPreference.objects.exists()
        for preference in NotificationPreference.objects.all():
            preference.full_clean()
