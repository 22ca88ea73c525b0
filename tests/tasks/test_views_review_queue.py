"""The review list as a queue: the general-branch filter, bulk approval and "… and next"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from branches.models import Organisation, OrgKind
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)

S = AssignmentStatus
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _submitted(personas, **fields):
    item = published_item(personas.tree["committee"], **fields)
    Assignment.objects.filter(item=item).update(
        status=S.SUBMITTED, report_text="完成", submitted_at=timezone.now()
    )
    return item


def test_general_branch_filter_lists_only_its_branches(personas):
    committee = Organisation.objects.get(pk=personas.tree["committee"].pk)
    outside = Organisation.objects.add_child(
        committee, create_kwargs={"name": "直属党支部", "kind": OrgKind.BRANCH}
    )
    _submitted(personas)
    client = personas.client("office")
    url = reverse("tasks:review_list")
    everything = {a.branch for a in client.get(url).context["page"]}
    assert outside in everything
    response = client.get(url, {"general_branch": personas.tree["general"].pk})
    assert {a.branch for a in response.context["page"]} == {
        personas.tree["branch_a"],
        personas.tree["branch_b"],
    }
    # A branch is not a general branch; a foreign or tampered value is ignored, not a 500.
    for value in (personas.tree["branch_a"].pk, "x'--"):
        assert client.get(url, {"general_branch": value}).status_code == 200


def test_the_branch_filters_add_no_query(personas, django_assert_num_queries):
    for _ in range(3):
        _submitted(personas)
    client = personas.client("office")
    url = reverse("tasks:review_list")
    client.get(url)
    with django_assert_num_queries(8) as plain:  # see test_views_review
        client.get(url)
    with django_assert_num_queries(len(plain.captured_queries)):
        client.get(url, {"general_branch": personas.tree["general"].pk})
    # Nor does the branch filter: its choices come from the same list.
    with django_assert_num_queries(len(plain.captured_queries)):
        client.get(url, {"branch": personas.tree["branch_a"].pk})


def test_bulk_approve_approves_the_valid_and_leaves_the_rest(second_committee):
    personas = second_committee
    item = _submitted(personas)
    a = assignment_of(item, personas.tree["branch_a"])
    b = assignment_of(item, personas.tree["branch_b"])
    Assignment.objects.filter(pk=b.pk).update(status=S.RETURNED)
    other = published_item(personas.tree["other_committee"])
    foreign = assignment_of(other, personas.tree["other_branch"])
    Assignment.objects.filter(pk=foreign.pk).update(status=S.SUBMITTED)
    client = personas.client("office")
    response = client.post(
        reverse("tasks:review_bulk_approve"),
        {"ids": [a.pk, b.pk, foreign.pk, 999999, "x"], "queue": "status=submitted"},
        follow=True,
        **EN,
    )
    assert response.redirect_chain[-1][0] == reverse("tasks:review_list") + "?status=submitted"
    assert Assignment.objects.get(pk=a.pk).status == S.APPROVED
    assert Assignment.objects.get(pk=b.pk).status == S.RETURNED
    assert Assignment.objects.get(pk=foreign.pk).status == S.SUBMITTED
    text = [str(m) for m in response.context["messages"]]
    assert "1 assignment approved." in text
    assert any(t.startswith("Not approved: ") and str(b.branch) in t for t in text)
    assert "3 selected assignments could not be approved." in text
    assert not any(str(personas.tree["other_branch"]) in t for t in text)


def test_bulk_approve_is_for_the_office_only(personas):
    item = _submitted(personas)
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")
    assert client.post(reverse("tasks:review_bulk_approve"), {"ids": [a.pk]}).status_code == 404
    assert Assignment.objects.get(pk=a.pk).status == S.SUBMITTED


def _queue_of_three(personas):
    """Three submissions of branch A waiting, the oldest first, and one of branch B."""
    now = timezone.now()
    waiting = []
    for hours in (3, 2, 1):
        item = _submitted(personas)
        Assignment.objects.filter(item=item).update(submitted_at=now - timedelta(hours=hours))
        waiting.append(assignment_of(item, personas.tree["branch_a"]))
    return waiting


@pytest.mark.parametrize(
    ("action", "comment", "done"),
    [
        ("approve_next", "", S.APPROVED),
        ("return_next", "请补充", S.RETURNED),
    ],
)
def test_a_step_and_next_goes_to_the_longest_waiting_of_the_same_queue(
    personas, action, comment, done
):
    oldest, middle, newest = _queue_of_three(personas)
    queue = f"status=submitted&branch={personas.tree['branch_a'].pk}"
    client = personas.client("office")
    response = client.post(
        reverse("tasks:assignment_review", args=[middle.pk]),
        {"action": action, "comment": comment, "queue": queue},
    )
    assert Assignment.objects.get(pk=middle.pk).status == done
    detail = reverse("tasks:assignment_detail", args=[oldest.pk])
    assert response.url == f"{detail}?{urlencode({'queue': queue})}"
    for a in (oldest, newest):
        client.post(
            reverse("tasks:assignment_review", args=[a.pk]),
            {"action": action, "comment": comment, "queue": queue},
        )
    response = client.post(
        reverse("tasks:assignment_review", args=[oldest.pk]),
        {"action": action, "comment": comment, "queue": queue},
    )
    # A refused step (no longer submitted) does not move on: it stays on the assignment.
    Assignment.objects.filter(branch=personas.tree["branch_a"], status=S.SUBMITTED).update(
        status=S.APPROVED
    )
    response = client.post(
        reverse("tasks:assignment_review", args=[newest.pk]),
        {"action": action, "comment": comment, "queue": queue},
    )
    assert response.url == f"{reverse('tasks:assignment_detail', args=[newest.pk])}"


def test_the_last_of_the_queue_goes_back_to_the_list(personas):
    (only,) = _queue_of_three(personas)[:1]
    Assignment.objects.filter(status=S.SUBMITTED).exclude(pk=only.pk).update(status=S.APPROVED)
    queue = f"status=submitted&branch={personas.tree['branch_a'].pk}"
    response = personas.client("office").post(
        reverse("tasks:assignment_review", args=[only.pk]),
        {"action": "approve_next", "queue": queue},
    )
    assert response.url == f"{reverse('tasks:review_list')}?{queue}"


def test_the_detail_page_carries_the_queue_to_its_buttons(personas):
    item = _submitted(personas)
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("office")
    listing = client.get(reverse("tasks:review_list"), {"status": "submitted"}, **EN)
    assert "?queue=status%3Dsubmitted" in listing.content.decode()
    page = client.get(
        reverse("tasks:assignment_detail", args=[a.pk]), {"queue": "status=submitted"}, **EN
    ).content.decode()
    assert 'name="queue" value="status=submitted"' in page
    assert "Approve and next" in page and "Return and next" in page
