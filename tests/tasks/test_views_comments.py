"""The conversation on an assignment (post, both sides see it, who is told, who is refused)
and the readable history on the assignment page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.audit import log_action
from tasks import services
from tasks.models import COMMENT_MAX_LENGTH, AssignmentComment, Reminder, ReminderKind
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture
def assignment(personas):
    return assignment_of(published_item(personas.tree["committee"]), personas.tree["branch_a"])


def post(personas, persona, assignment, body):
    url = reverse("tasks:assignment_comment", args=[assignment.pk])
    return personas.client(persona).post(url, {"body": body}, HTTP_ACCEPT_LANGUAGE="en")


def told(kind="comment") -> list[int]:
    rows = Reminder.objects.filter(kind=ReminderKind.CHANGE, slot__startswith=f"{kind}:")
    return sorted(rows.values_list("person_id", flat=True))


def page(personas, persona, assignment) -> str:
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    return personas.client(persona).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_branch_writes_and_the_office_is_told(personas, assignment):
    response = post(personas, "secretary_a", assignment, "  照片能否晚两天交？ ")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/assignments/{assignment.pk}/#comments")
    comment = AssignmentComment.objects.get()
    assert (comment.body, comment.side, comment.author) == (
        "照片能否晚两天交？",
        "branch",
        personas.user("secretary_a"),
    )
    assert told() == [personas.people["office"].pk]
    row = Reminder.objects.get(kind=ReminderKind.CHANGE)
    assert row.body == "照片能否晚两天交？"
    assert row.link == reverse("tasks:assignment_detail", args=[assignment.pk])
    # Both sides see it on the page.
    assert "照片能否晚两天交？" in page(personas, "office", assignment)
    assert "照片能否晚两天交？" in page(personas, "secretary_a", assignment)


def test_the_office_answers_and_the_branch_is_told(personas, assignment):
    assert post(personas, "office", assignment, "可以，月底前交。").status_code == 302
    assert AssignmentComment.objects.get().side == "office"
    assert told() == [personas.people["secretary_a"].pk]
    assert "可以，月底前交。" in page(personas, "secretary_a", assignment)


def test_the_review_comments_are_in_the_thread(personas, assignment):
    secretary, office = personas.user("secretary_a"), personas.user("office")

    def apply(locked):
        locked.report_text = "已完成学习"
        return ["report_text"]

    services.submit(assignment.pk, secretary, apply=apply)
    services.return_for_changes(assignment.pk, office, comment="请补充会议照片")
    html = page(personas, "secretary_a", assignment)
    assert "请补充会议照片" in html.split('id="comments"')[1]


@pytest.mark.parametrize("persona", ["secretary_b", "committee", "regional", "member"])
def test_anyone_but_the_two_sides_gets_a_404(personas, assignment, persona):
    assert post(personas, persona, assignment, "看看").status_code == 404
    assert not AssignmentComment.objects.exists()
    assert told() == []


def test_readers_do_not_see_the_form(personas, assignment):
    assert reverse("tasks:assignment_comment", args=[assignment.pk]) not in page(
        personas, "committee", assignment
    )


@pytest.mark.parametrize("body", ["", "   ", "长" * (COMMENT_MAX_LENGTH + 1)])
def test_an_empty_or_too_long_comment_is_refused(personas, assignment, body):
    response = post(personas, "secretary_a", assignment, body)
    assert response.status_code == 200
    assert response.context["comment_form"].errors["body"]
    assert not AssignmentComment.objects.exists()
    assert told() == []


def test_the_history_shows_readable_labels(personas, assignment):
    office = personas.user("office")
    services.grant_extension(assignment.pk, office, until=assignment.due_date, reason="")
    services.urge(assignment.pk, office)
    # An entry written long ago with the same key reads the same; one written by another app
    # reads as that app named it; a key nobody named reads as a plain change, never as the key.
    log_action(assignment, "tasks.assignment.saved", user=personas.user("secretary_a"))
    log_action(assignment, "surveys.rectification.imported", user=personas.user("secretary_a"))
    log_action(assignment, "tasks.assignment.something_new", user=office)
    html = page(personas, "secretary_a", assignment).split('id="history"')[1]
    for label in ("Extension granted", "Urged (催办)", "Draft saved", "Form imported from Excel"):
        assert label in html
    assert "Record changed" in html
    for key in ("extended", "urged", "saved", "something_new"):
        assert f"tasks.assignment.{key}" not in html
    assert "surveys.rectification.imported" not in html
