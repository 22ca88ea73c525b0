"""With the broker down the web keeps working; queued work is only logged, never a 500."""

import pytest
from django.urls import reverse

from portal.queue import enqueue_on_commit
from tests.celery_worker import use_broker

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_BROKER = "redis://127.0.0.1:6398/0"  # nothing listens there


@pytest.fixture
def broker_down():
    with use_broker(DEAD_BROKER):
        yield


def test_enqueue_with_the_broker_down_logs_instead_of_raising(broker_down, caplog):
    from django.db import transaction

    from portal.jobs import clear_expired_sessions

    with transaction.atomic():
        enqueue_on_commit(clear_expired_sessions)
    assert "broker unavailable" in caplog.text


def test_a_workflow_step_succeeds_with_the_broker_down(broker_down, personas):
    from tasks.models import Assignment, AssignmentStatus
    from tests.tasks.factories import published_item

    item = published_item(personas.tree["committee"])
    assignment = Assignment.objects.get(item=item, branch=personas.tree["branch_a"])
    client = personas.client("secretary_a")
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    response = client.post(
        url,
        {"action": "submit", "version": assignment.version, "report_text": "学习交流已开展"},
    )
    assert response.status_code in (200, 302)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
