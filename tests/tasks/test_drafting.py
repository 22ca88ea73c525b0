"""The service that saves a notice composed from its Word document: everything in one
transaction with one audit entry, or a refusal that changes nothing."""

from __future__ import annotations

import datetime

import pytest

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_NOTICE_IMPORTED
from tasks.drafting import (
    AreaPlan,
    AttachmentPlan,
    ItemPlan,
    NoticePlan,
    create_notice_from_document,
)
from tasks.errors import AccessRefused, TransitionNotAllowed
from tasks.models import DeadlineRule, Notice, TaskArea, TaskItem
from tests.builders.tasks import make_notice

d = datetime.date


def _plan(committee, **overrides) -> NoticePlan:
    item = ItemPlan(
        ref=0, title="学习", instructions="10月底前", kind="report", deadline=d(2022, 10, 31)
    )
    loose = ItemPlan(
        ref=1,
        title="及时整改",
        instructions="",
        kind="report",
        deadline_rule=DeadlineRule.NONE,
        deadline=d(2022, 1, 1),
    )
    fields = dict(
        committee=committee,
        year=2022,
        issue_number=7,
        date=d(2022, 10, 18),
        title="党支部工作提示",
        areas=[
            AreaPlan(1, "学习", "正文", items=[item]),
            AreaPlan(1, "重复编号", parts=[AreaPlan(1, "子", items=[loose]), AreaPlan(1, "子二")]),
        ],
        attachments=[AttachmentPlan(1, "表", "brand_plan", 0), AttachmentPlan(1, "通知", "", 5)],
    )
    fields.update(overrides)
    return NoticePlan(**fields)


def test_the_draft_is_created_with_its_document(personas):
    notice = create_notice_from_document(
        _plan(personas.tree["committee"]),
        personas.user("office"),
        source=b"PK",
        source_name="C:\\x\\提示.docx",
    )
    assert notice.source_name == "提示.docx"
    # numbers the document gave twice are made unique
    assert sorted(notice.areas.top_level().values_list("number", flat=True)) == [1, 2]
    assert sorted(
        TaskArea.objects.filter(parent__isnull=False).values_list("number", flat=True)
    ) == [1, 2]
    loose = TaskItem.objects.get(title="及时整改")
    assert (loose.deadline_rule, loose.deadline, loose.label) == ("none", None, "2")
    assert sorted(notice.attachments.values_list("number", "item__title")) == [
        (1, "学习"),
        (2, None),
    ]
    assert AuditEntry.objects.get(action=ACTION_NOTICE_IMPORTED).data["items"] == 2


def test_refusals_change_nothing(personas, second_committee):
    office = personas.user("office")
    with pytest.raises(AccessRefused):
        create_notice_from_document(
            _plan(personas.tree["other_committee"]), office, source=b"", source_name="x.docx"
        )
    make_notice(personas.tree["committee"], year=2022, issue_number=7)
    with pytest.raises(TransitionNotAllowed):
        create_notice_from_document(
            _plan(personas.tree["committee"]), office, source=b"", source_name="x.docx"
        )
    with pytest.raises(TransitionNotAllowed):
        create_notice_from_document(
            _plan(
                personas.tree["committee"],
                issue_number=8,
                areas=[AreaPlan(1, "x", items=[ItemPlan(0, "x", "", "nonsense")])],
            ),
            office,
            source=b"",
            source_name="x.docx",
        )
    assert Notice.objects.count() == 1 and not TaskArea.objects.exists()
    assert not AuditEntry.objects.filter(action=ACTION_NOTICE_IMPORTED).exists()
