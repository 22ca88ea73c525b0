"""The office's review list (filters, paging, query count), approve / return, extension, 催办."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ASSIGNMENT_EXTENDED, ACTION_ASSIGNMENT_URGED
from tasks.models import Assignment, AssignmentStatus, ReminderPolicy, UrgeRecord, local_today
from tests.builders.tasks import assignment_of, published_item
from tests.clock import BEIJING, WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)

S = AssignmentStatus


def _submitted(personas, **fields):
    item = published_item(personas.tree["committee"], **fields)
    Assignment.objects.filter(item=item).update(status=S.SUBMITTED, report_text="完成")
    return item


def test_review_list_shows_submitted_by_default_and_filters(personas):
    first = _submitted(personas)
    second = published_item(personas.tree["committee"], kind="meeting")
    client = personas.client("office")
    response = client.get(reverse("tasks:review_list"))
    assert {a.item for a in response.context["page"]} == {first}
    response = client.get(reverse("tasks:review_list"), {"status": "", "kind": "meeting"})
    assert {a.item for a in response.context["page"]} == {second}
    response = client.get(
        reverse("tasks:review_list"),
        {"status": "", "branch": personas.tree["branch_b"].pk, "notice": second.area.notice_id},
    )
    assert [a.branch for a in response.context["page"]] == [personas.tree["branch_b"]]
    # A tampered filter value is ignored, not a 500.
    assert client.get(reverse("tasks:review_list"), {"branch": "x'--"}).status_code == 200


@pytest.mark.parametrize("count", [2, 15])
def test_review_list_query_count_does_not_grow(personas, count, django_assert_num_queries):
    for _ in range(count):
        _submitted(personas)
    client = personas.client("office")
    url = reverse("tasks:review_list")
    client.get(url)
    # 8: the session, the user and his scope (his person and roles: one query), the branches
    # and general branches to filter by (one list), the rows per item and the page's rows,
    # the notices to filter by and the unread-notification count of the navigation bar; the
    # session is not written (renewed at most once a minute). Submissions waiting show no 催办
    # button: the page's urge records are not asked for.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    # Rows still owed: one more, for the urge records of the page's rows.
    published_item(personas.tree["committee"])
    with django_assert_num_queries(9):
        response = client.get(url, {"status": "pending"})
    assert len(response.context["page"]) == 2


def test_review_list_pages(personas):
    for _ in range(14):
        _submitted(personas)  # 28 rows, 25 per page
    response = personas.client("office").get(reverse("tasks:review_list"), {"page": 2})
    assert len(response.context["page"]) == 3


def test_approve_and_return_with_required_comment(personas):
    item = _submitted(personas)
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("office")
    url = reverse("tasks:assignment_review", args=[a.pk])
    client.post(url, {"action": "return", "comment": ""})
    assert Assignment.objects.get(pk=a.pk).status == S.SUBMITTED  # refused: no comment
    client.post(url, {"action": "return", "comment": "请补充附件"})
    a.refresh_from_db()
    assert a.status == S.RETURNED and a.review_comment == "请补充附件"
    client.post(url, {"action": "approve"})
    assert Assignment.objects.get(pk=a.pk).status == S.RETURNED  # only from submitted
    b = assignment_of(item, personas.tree["branch_b"])
    client.post(reverse("tasks:assignment_review", args=[b.pk]), {"action": "approve"})
    assert Assignment.objects.get(pk=b.pk).status == S.APPROVED


def test_review_actions_are_404_for_others(personas):
    a = assignment_of(_submitted(personas), personas.tree["branch_a"])
    for persona in ("secretary_a", "committee", "secretary_b"):
        for name in ("tasks:assignment_review", "tasks:assignment_extend", "tasks:assignment_urge"):
            response = personas.client(persona).post(
                reverse(name, args=[a.pk]), {"action": "approve"}
            )
            assert response.status_code == 404, (persona, name)
    assert Assignment.objects.get(pk=a.pk).status == S.SUBMITTED


def test_extension_per_branch_moves_overdue(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=2))
    a = assignment_of(item, personas.tree["branch_a"])
    until = local_today() + timedelta(days=5)
    personas.client("office").post(
        reverse("tasks:assignment_extend", args=[a.pk]),
        {"until": until.isoformat(), "reason": "出差"},
    )
    assert Assignment.objects.get(pk=a.pk).extended_until == until
    assert not Assignment.objects.overdue().filter(pk=a.pk).exists()
    assert Assignment.objects.overdue().filter(branch=personas.tree["branch_b"]).exists()
    entry = AuditEntry.objects.get(action=ACTION_ASSIGNMENT_EXTENDED)
    assert entry.data["after"] == until.isoformat() and entry.data["comment"] == "出差"
    response = personas.client("office").post(
        reverse("tasks:assignment_extend", args=[a.pk]),
        {"until": "不是日期"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Enter a valid date for the extension." in response.content.decode()
    assert Assignment.objects.get(pk=a.pk).extended_until == until


def test_urge_once_per_branch_and_item_per_day(personas):
    item = published_item(personas.tree["committee"])
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("office")
    url = reverse("tasks:assignment_urge", args=[a.pk])
    client.post(url, follow=True)
    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in response.context["messages"]] == [
        "This branch was already reminded of this task today; try again tomorrow."
    ]
    assert UrgeRecord.objects.filter(assignment=a).count() == 1
    assert AuditEntry.objects.filter(action=ACTION_ASSIGNMENT_URGED).count() == 1
    # Another branch of the same item may still be urged today.
    client.post(
        reverse("tasks:assignment_urge", args=[assignment_of(item, personas.tree["branch_b"]).pk])
    )
    assert UrgeRecord.objects.count() == 2
    # Yesterday's press does not block today's.
    UrgeRecord.objects.filter(assignment=a).update(urged_on=local_today() - timedelta(days=1))
    client.post(url)
    assert UrgeRecord.objects.filter(assignment=a).count() == 2


def test_urge_of_a_submitted_task_is_refused(personas):
    a = assignment_of(_submitted(personas), personas.tree["branch_a"])
    personas.client("office").post(reverse("tasks:assignment_urge", args=[a.pk]))
    assert not UrgeRecord.objects.exists()


def test_next_parameter_cannot_leave_the_site(personas):
    a = assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])
    response = personas.client("office").post(
        reverse("tasks:assignment_urge", args=[a.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("tasks:assignment_detail", args=[a.pk])


LONG_COMMENT = "意" * 4001


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("action", ["approve", "return"])
def test_an_over_long_comment_is_refused_with_its_length_and_kept(personas, action):
    a = assignment_of(_submitted(personas), personas.tree["branch_a"])
    response = personas.client("office").post(
        reverse("tasks:assignment_review", args=[a.pk]),
        {"action": action, "comment": LONG_COMMENT},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = _page(response)
    assert "The comment may be at most 4000 characters (it has 4001)." in page
    assert "Write a comment telling the branch what to change." not in page
    assert LONG_COMMENT in page  # the typed comment is still in the box
    a.refresh_from_db()
    # Not approved (or returned) without the comment: nothing happened at all.
    assert a.status == S.SUBMITTED and a.review_comment == ""
    assert not AuditEntry.objects.filter(action__startswith="tasks.assignment.").exists()


def test_an_over_long_extension_reason_says_so_on_the_reason_field(personas):
    a = assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])
    until = local_today() + timedelta(days=30)
    reason = "因" * 501
    response = personas.client("office").post(
        reverse("tasks:assignment_extend", args=[a.pk]),
        {"until": until.isoformat(), "reason": reason},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["extension_form"].errors == {
        "reason": ["The reason may be at most 500 characters (it has 501)."]
    }
    page = _page(response)
    assert "The reason may be at most 500 characters (it has 501)." in page
    assert "Enter a valid date for the extension." not in page
    assert reason in page and until.isoformat() in page
    assert Assignment.objects.get(pk=a.pk).extended_until is None


def test_due_filter_lists_what_is_still_owed_within_seven_days(personas):
    today = local_today()
    soon = published_item(personas.tree["committee"], deadline=today + timedelta(days=7))
    later = published_item(personas.tree["committee"], deadline=today + timedelta(days=8))
    past = published_item(personas.tree["committee"], deadline=today - timedelta(days=1))
    extended = assignment_of(past, personas.tree["branch_a"])
    Assignment.objects.filter(pk=extended.pk).update(extended_until=today + timedelta(days=2))
    handed_in = assignment_of(soon, personas.tree["branch_b"])
    Assignment.objects.filter(pk=handed_in.pk).update(status=S.SUBMITTED)
    response = personas.client("office").get(
        reverse("tasks:review_list"), {"status": "", "due": "7"}
    )
    rows = list(response.context["page"])
    assert extended in rows
    assert {a.item for a in rows} == {soon, past}
    assert handed_in not in rows and all(a.item != later for a in rows)


def test_waiting_order_lists_the_longest_waiting_submission_first(personas):
    late_deadline = _submitted(personas, deadline=local_today() + timedelta(days=20))
    early_deadline = _submitted(personas, deadline=local_today() + timedelta(days=2))
    Assignment.objects.filter(item=late_deadline).update(
        submitted_at=WORKDAY_MORNING - timedelta(days=9)
    )
    Assignment.objects.filter(item=early_deadline).update(
        submitted_at=WORKDAY_MORNING - timedelta(days=1)
    )
    client = personas.client("office")
    queue = client.get(reverse("tasks:review_list"), {"status": "submitted", "order": "waiting"})
    assert [a.item for a in queue.context["page"]][0] == late_deadline
    by_deadline = client.get(reverse("tasks:review_list"))
    assert [a.item for a in by_deadline.context["page"]][0] == early_deadline


@pytest.mark.clock(at=datetime(2026, 6, 15, 22, 30, tzinfo=BEIJING), tick=False)
def test_an_urge_in_quiet_hours_tells_the_office_when_it_goes_out(personas):
    ReminderPolicy.objects.create(is_default=True, quiet_start_hour=21, quiet_end_hour=8)
    a = assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])
    url = reverse("tasks:assignment_urge", args=[a.pk])
    response = personas.client("office").post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in response.context["messages"]] == [
        f"Reminder recorded for {a.branch}. It is quiet hours: the reminder will go out "
        "tomorrow morning at 08:00."
    ]


@pytest.mark.clock(at=datetime(2026, 6, 16, 2, 0, tzinfo=BEIJING), tick=False)
def test_an_urge_after_midnight_goes_out_this_morning(personas):
    ReminderPolicy.objects.create(is_default=True, quiet_start_hour=21, quiet_end_hour=8)
    a = assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])
    url = reverse("tasks:assignment_urge", args=[a.pk])
    response = personas.client("office").post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "will go out today at 08:00." in str(list(response.context["messages"])[0])


def test_an_urge_by_day_says_nothing_of_quiet_hours(personas):
    a = assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])
    url = reverse("tasks:assignment_urge", args=[a.pk])
    response = personas.client("office").post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in response.context["messages"]] == [f"Reminder recorded for {a.branch}."]
