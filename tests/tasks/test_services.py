"""The assignment workflow: every allowed and every refused step, through tasks.services."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from branches.models import RoleKind
from portal.models import AuditEntry, OutboxMessage
from tasks import services
from tasks.audit_actions import (
    ACTION_ASSIGNMENT_APPROVED,
    ACTION_ASSIGNMENT_RETURNED,
    ACTION_ASSIGNMENT_SAVED,
    ACTION_ASSIGNMENT_SUBMITTED,
)
from tasks.errors import (
    AccessRefused,
    EditConflict,
    SubmitIncomplete,
    TransitionNotAllowed,
)
from tasks.models import AssignmentStatus as S
from tasks.models import Reminder, ReminderKind, local_today
from tasks.publishing import withdraw_item
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture
def setup(personas):
    item = published_item(personas.tree["committee"])
    assignment = assignment_of(item, personas.tree["branch_a"])
    return personas, item, assignment


def _text(text):
    def apply(locked):
        locked.report_text = text
        return ["report_text"]

    return apply


def _steps(assignment):
    return list(AuditEntry.objects.for_object(assignment).values_list("action", flat=True))


def _to(status, personas, assignment):
    """Bring the assignment into ``status`` through the services."""
    secretary, office = personas.user("secretary_a"), personas.user("office")
    if status == S.PENDING:
        return assignment
    assignment = services.save_draft(
        assignment.pk, secretary, version=None, apply=_text("已完成学习")
    )
    if status == S.DRAFT:
        return assignment
    assignment = services.submit(assignment.pk, secretary)
    if status == S.SUBMITTED:
        return assignment
    if status == S.RETURNED:
        return services.return_for_changes(assignment.pk, office, comment="请补充")
    return services.approve(assignment.pk, office)


def test_full_cycle_submit_return_resubmit_approve(setup):
    personas, item, a = setup
    secretary, office = personas.user("secretary_a"), personas.user("office")
    a = services.save_draft(a.pk, secretary, version=a.version, apply=_text("学习情况"))
    assert a.status == S.DRAFT
    a = services.submit(a.pk, secretary, version=a.version)
    assert a.status == S.SUBMITTED and a.first_submitted_at == a.submitted_at
    first = a.first_submitted_at
    a = services.return_for_changes(a.pk, office, comment="请补充照片")
    assert a.status == S.RETURNED and a.review_comment == "请补充照片"
    a = services.save_draft(a.pk, secretary, version=a.version, apply=_text("补充后"))
    assert a.status == S.RETURNED  # a returned task stays returned while being edited
    a = services.submit(a.pk, secretary, version=a.version)
    assert a.first_submitted_at == first and a.submitted_at >= first
    a = services.approve(a.pk, office)
    assert a.status == S.APPROVED and a.approved_at
    assert _steps(a)[::-1] == [
        ACTION_ASSIGNMENT_SAVED,
        ACTION_ASSIGNMENT_SUBMITTED,
        ACTION_ASSIGNMENT_RETURNED,
        ACTION_ASSIGNMENT_SAVED,
        ACTION_ASSIGNMENT_SUBMITTED,
        ACTION_ASSIGNMENT_APPROVED,
    ]
    returned = AuditEntry.objects.get(action=ACTION_ASSIGNMENT_RETURNED)
    assert returned.data == {"from": "submitted", "to": "returned", "comment": "请补充照片"}


# (state, step) pairs that must be refused; the others of ALLOWED_FROM are allowed.
STEPS = {
    "saved": lambda p, a: services.save_draft(
        a.pk, p.user("secretary_a"), version=None, apply=_text("x")
    ),
    "submitted": lambda p, a: services.submit(a.pk, p.user("secretary_a")),
    "approved": lambda p, a: services.approve(a.pk, p.user("office")),
    "returned": lambda p, a: services.return_for_changes(a.pk, p.user("office"), comment="改"),
    "extended": lambda p, a: services.grant_extension(
        a.pk, p.user("office"), until=local_today() + timedelta(days=30)
    ),
    "urged": lambda p, a: services.urge(a.pk, p.user("office")),
}


@pytest.mark.parametrize("state", [S.PENDING, S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_step_from_every_state(setup, state, step):
    personas, item, a = setup
    if state == S.PENDING and step == "submitted":
        a = services.save_draft(a.pk, personas.user("secretary_a"), version=None, apply=_text("x"))
        a.status = S.PENDING
        a.save(update_fields=["status"])
    else:
        a = _to(state, personas, a)
    before = a.__class__.objects.get(pk=a.pk)
    entries = AuditEntry.objects.count()
    if state in services.ALLOWED_FROM[step]:
        STEPS[step](personas, a)
    else:
        with pytest.raises(TransitionNotAllowed):
            STEPS[step](personas, a)
        after = a.__class__.objects.get(pk=a.pk)
        assert (after.status, after.version) == (before.status, before.version)
        assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    "persona,step",
    [
        ("secretary_b", "saved"),
        ("secretary_b", "submitted"),
        ("office", "submitted"),
        ("committee", "submitted"),
        ("secretary_a", "approved"),
        ("secretary_a", "returned"),
        ("committee", "approved"),
        ("secretary_a", "urged"),
        ("member", "saved"),
    ],
)
def test_steps_refused_to_the_wrong_people(setup, persona, step):
    personas, item, a = setup
    a = _to(S.SUBMITTED if step in ("approved", "returned") else S.DRAFT, personas, a)
    user = personas.user(persona)
    calls = {
        "saved": lambda: services.save_draft(a.pk, user, version=None, apply=_text("x")),
        "submitted": lambda: services.submit(a.pk, user),
        "approved": lambda: services.approve(a.pk, user),
        "returned": lambda: services.return_for_changes(a.pk, user, comment="改"),
        "urged": lambda: services.urge(a.pk, user),
    }
    with pytest.raises(AccessRefused):
        calls[step]()


def test_office_of_another_committee_is_refused(setup, tree):

    personas, item, a = setup
    other = make_person(
        "外所党办",
        None,
        username="other_office",
        roles=[(RoleKind.OFFICE, tree["other_committee"])],
    )
    a = _to(S.SUBMITTED, personas, a)
    with pytest.raises(AccessRefused):
        services.approve(a.pk, other.user)


def test_return_needs_a_comment(setup):
    personas, item, a = setup
    a = _to(S.SUBMITTED, personas, a)
    with pytest.raises(TransitionNotAllowed):
        services.return_for_changes(a.pk, personas.user("office"), comment="   ")
    assert a.__class__.objects.get(pk=a.pk).status == S.SUBMITTED


def test_double_submit_acts_once(setup):
    personas, item, a = setup
    a = _to(S.DRAFT, personas, a)
    services.submit(a.pk, personas.user("secretary_a"), version=a.version)
    with pytest.raises(TransitionNotAllowed, match="already submitted"):
        services.submit(a.pk, personas.user("secretary_a"), version=a.version)
    assert _steps(a).count(ACTION_ASSIGNMENT_SUBMITTED) == 1


def test_stale_version_is_a_conflict_and_changes_nothing(setup):
    personas, item, a = setup
    secretary = personas.user("secretary_a")
    loaded = a.version
    services.save_draft(a.pk, secretary, version=loaded, apply=_text("第一人保存"))
    with pytest.raises(EditConflict):
        services.save_draft(a.pk, secretary, version=loaded, apply=_text("第二人保存"))
    assert a.__class__.objects.get(pk=a.pk).report_text == "第一人保存"


def test_submit_of_an_empty_report_is_refused_and_rolled_back(setup):
    personas, item, a = setup
    with pytest.raises(SubmitIncomplete) as info:
        services.submit(a.pk, personas.user("secretary_a"), apply=_text(""))
    assert info.value.messages[1:]  # the reasons, after the headline
    assert a.__class__.objects.get(pk=a.pk).status == S.PENDING


def test_withdrawn_item_refuses_every_step(setup):
    personas, item, a = setup
    withdraw_item(item.pk, personas.user("office"))
    with pytest.raises(TransitionNotAllowed):
        services.save_draft(a.pk, personas.user("secretary_a"), version=None, apply=_text("x"))


def test_late_submission_is_accepted_and_marked(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=2))
    a = assignment_of(item, personas.tree["branch_a"])
    a = services.submit(a.pk, personas.user("secretary_a"), apply=_text("迟交"))
    assert a.status == S.SUBMITTED and a.is_late
    assert AuditEntry.objects.get(action=ACTION_ASSIGNMENT_SUBMITTED).data["late"] is True


def test_extension_cannot_end_before_the_deadline(setup):
    personas, item, a = setup
    with pytest.raises(TransitionNotAllowed):
        services.grant_extension(
            a.pk, personas.user("office"), until=item.deadline - timedelta(days=1)
        )


def test_change_messages_are_planned_in_the_steps_transaction(setup):
    personas, item, a = setup
    a = _to(S.SUBMITTED, personas, a)
    told = Reminder.objects.filter(kind=ReminderKind.CHANGE, slot__startswith="returned:")
    with mock.patch("portal.outbox.app.send_task") as send:
        services.return_for_changes(a.pk, personas.user("office"), comment="请补充")
    assert not send.called  # the request never talks to the broker
    assert told.count() == 1 and told.get().sent_at is None  # the beat pass sends it
    # A refused step rolls back its transaction and plans nothing.
    with pytest.raises(TransitionNotAllowed):
        services.return_for_changes(a.pk, personas.user("office"), comment="again")
    assert told.count() == 1
    assert not OutboxMessage.objects.filter(task="tasks.notify_assignment_transition").exists()
