"""Publishing: assignments per scope in one transaction, later branches, deadlines, withdraw."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation, OrgKind, Service
from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ITEM_DEADLINE_CHANGED, ACTION_ITEM_WITHDRAWN
from tasks.errors import TransitionNotAllowed
from tasks.models import Assignment, Notice, TargetScope, local_today
from tasks.publishing import change_deadline, publish_notice, withdraw_item
from tests.builders.tasks import make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def _branch_names(item):
    return set(Assignment.objects.filter(item=item).values_list("branch__name", flat=True))


def test_scope_in_service_all_and_chosen(tree):
    notice = make_notice(tree["committee"])
    in_service = make_item(notice, scope=TargetScope.IN_SERVICE)
    everyone = make_item(notice, area_number=2, scope=TargetScope.ALL)
    chosen = make_item(
        notice,
        area_number=3,
        scope=TargetScope.CHOSEN,
        chosen=[tree["branch_b"], tree["other_branch"]],
    )
    created = publish_notice(notice.pk, None)

    assert _branch_names(in_service) == {"甲党支部", "乙党支部"}
    assert _branch_names(everyone) == {"甲党支部", "乙党支部", "离退休党支部"}
    # A chosen branch outside the committee's subtree is ignored.
    assert _branch_names(chosen) == {"乙党支部"}
    assert created == 6
    notice.refresh_from_db()
    assert notice.is_published and notice.published_at


def test_publishing_is_one_transaction(tree):
    notice = make_notice(tree["committee"])
    make_item(notice)
    with mock.patch("tasks.publishing.log_action", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            publish_notice(notice.pk, None)
    assert not Assignment.objects.exists()
    assert not Notice.objects.get(pk=notice.pk).is_published


def test_publish_twice_or_empty_is_refused(tree):
    empty = make_notice(tree["committee"])
    with pytest.raises(TransitionNotAllowed):
        publish_notice(empty.pk, None)
    item = published_item(tree["committee"])
    with pytest.raises(TransitionNotAllowed):
        publish_notice(item.area.notice_id, None)
    assert Assignment.objects.filter(item=item).count() == 2


def test_publishing_uses_a_constant_number_of_queries(tree):

    def queries_to_publish(item_count: int) -> int:
        notice = make_notice(tree["committee"])
        for n in range(1, item_count + 1):
            make_item(notice, area_number=n)
        with CaptureQueriesContext(connection) as queries:
            publish_notice(notice.pk, None)
        return len(queries)

    queries_to_publish(1)  # warm the content-type cache
    # (Large row counts add only the batches of bulk inserts, so compare small notices.)
    assert queries_to_publish(2) == queries_to_publish(4)


def test_branch_added_later_gets_its_assignments(tree):
    open_item = published_item(tree["committee"])
    past_item = published_item(tree["committee"], deadline=local_today() - timedelta(days=1))
    retired_only = published_item(tree["committee"], scope=TargetScope.ALL)
    new = Organisation.objects.add_child(
        Organisation.objects.get(pk=tree["general"].pk),
        create_kwargs={"name": "新党支部", "kind": OrgKind.BRANCH},
    )
    assert Assignment.objects.filter(branch=new, item=open_item).exists()
    assert Assignment.objects.filter(branch=new, item=retired_only).exists()
    # Tasks whose deadline already passed are not handed to the newcomer.
    assert not Assignment.objects.filter(branch=new, item=past_item).exists()


def test_reactivated_branch_gets_assignments_and_inactive_does_not(tree):
    branch = Organisation.objects.get(pk=tree["branch_b"].pk)
    branch.is_active = False
    branch.save()
    item = published_item(tree["committee"])
    assert not Assignment.objects.filter(branch=branch, item=item).exists()
    branch.is_active = True
    branch.save()
    assert Assignment.objects.filter(branch=branch, item=item).count() == 1
    branch.save()  # idempotent
    assert Assignment.objects.filter(branch=branch, item=item).count() == 1


def test_retired_branch_added_later_skips_in_service_items(tree):
    item = published_item(tree["committee"])
    new = Organisation.objects.add_child(
        Organisation.objects.get(pk=tree["committee"].pk),
        create_kwargs={
            "name": "离退休第三党支部",
            "kind": OrgKind.BRANCH,
            "service": Service.RETIRED,
        },
    )
    assert not Assignment.objects.filter(branch=new, item=item).exists()


def test_deadline_change_after_publishing_is_logged(personas):
    item = published_item(personas.tree["committee"], deadline=date(2030, 10, 31))
    change_deadline(item.pk, personas.user("office"), date(2030, 11, 15))
    entry = AuditEntry.objects.get(action=ACTION_ITEM_DEADLINE_CHANGED)
    assert entry.data == {"from": "2030-10-31", "to": "2030-11-15"}
    item.refresh_from_db()
    assert item.deadline == date(2030, 11, 15)


def test_withdraw_hides_open_assignments(personas):
    item = published_item(personas.tree["committee"])
    branch = personas.tree["branch_a"]
    assert Assignment.objects.for_branch(branch).open().count() == 1
    withdraw_item(item.pk, personas.user("office"), "重复")
    assert Assignment.objects.for_branch(branch).open().count() == 0
    assert AuditEntry.objects.filter(action=ACTION_ITEM_WITHDRAWN).count() == 1
    with pytest.raises(TransitionNotAllowed):
        withdraw_item(item.pk, personas.user("office"))
