"""The assignment workflow: every state change goes through one function here.

Each function locks the row, checks that the user may take this step and that the step starts
from the current state, writes with ``update_fields``, logs to the audit log and plans the
change messages to the people concerned in the same transaction (``tasks.reminders.changes``:
sent by the reminder pass, so a rolled-back step tells nobody). A refused step raises a
WorkflowError and changes nothing. Comments on an assignment and a person's notification
settings (digests, change emails, the calendar feed's secret) are written here too, at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from tasks.access import (
    can_acknowledge_assignment,
    can_comment_on_assignment,
    can_edit_assignment,
    can_review_assignment,
)
from tasks.audit_actions import (
    ACTION_ASSIGNMENT_COMMENTED,
    ACTION_ASSIGNMENT_EXTENDED,
    ACTION_ASSIGNMENT_SAVED,
    ACTION_ASSIGNMENT_URGED,
    ASSIGNMENT_STEP_ACTIONS,
)
from tasks.errors import (
    AccessRefused,
    AlreadyUrged,
    EditConflict,
    SubmitIncomplete,
    TransitionNotAllowed,
    refuse_date_outside_window,
)
from tasks.kinds import get_kind
from tasks.models import (
    COMMENT_MAX_LENGTH,
    OPEN_STATUSES,
    Assignment,
    AssignmentComment,
    AssignmentStatus,
    ChangeKind,
    CommentSide,
    DeadlineRule,
    TaskItem,
    UrgeRecord,
    local_today,
)
from tasks.reminders.changes import tell_branch, tell_office
from tasks.reminders.planning import plan_reminders
from tasks.reminders.urge import enqueue_urge, enqueue_urges

S = AssignmentStatus

# step → the states it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "saved": (S.PENDING, S.DRAFT, S.RETURNED),
    "submitted": (S.PENDING, S.DRAFT, S.RETURNED),
    "approved": (S.SUBMITTED,),
    "returned": (S.SUBMITTED,),
    "extended": (S.PENDING, S.DRAFT, S.RETURNED, S.SUBMITTED),
    "urged": (S.PENDING, S.DRAFT, S.RETURNED),
    "acknowledged": (S.SUBMITTED,),
}

# Who takes which step: the branch fills and submits, the office reviews and presses.
BRANCH_STEPS = {"saved", "submitted"}
OFFICE_STEPS = {"approved", "returned", "extended", "urged"}
# Some kinds (the 三会一课 self-check) go to the branch's liaison committee member instead.
LIAISON_STEPS = {"acknowledged"}
REVIEW_STEPS = {"approved", "returned"}

Apply = Callable[[Assignment], list[str]]


def can_take_step(user, assignment: Assignment, step: str) -> bool:
    if step in BRANCH_STEPS:
        return can_edit_assignment(user, assignment)
    if step in LIAISON_STEPS:
        return can_acknowledge_assignment(user, assignment)
    if step in OFFICE_STEPS:
        return can_review_assignment(user, assignment)
    return False


def _refusal(assignment: Assignment, step: str) -> str:
    if step == "submitted" and assignment.status == S.SUBMITTED:
        return _("This task was already submitted; nothing was changed.")
    if assignment.status == S.APPROVED:
        return _("This task is already approved and can no longer be changed.")
    if step in ("approved", "returned"):
        return _("Only a submitted task can be approved or returned (it is now “%(status)s”).") % {
            "status": assignment.get_status_display()
        }
    if step == "saved" and assignment.status == S.SUBMITTED:
        return _("This task is submitted and waits for review; it cannot be edited now.")
    return _("This step is not possible while the task is “%(status)s”.") % {
        "status": assignment.get_status_display()
    }


def _lock(assignment_id: int, user, step: str) -> Assignment:
    """The locked row, after checking access, that the item is live and the step is allowed."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("item__area__notice", "branch")
        .get(pk=assignment_id)
    )
    if not can_take_step(user, assignment, step):
        raise AccessRefused(_("You may not do this for this task."))
    if assignment.item.is_withdrawn or not assignment.item.area.notice.is_published:
        raise TransitionNotAllowed(_("This task was withdrawn by the office."))
    if assignment.status not in ALLOWED_FROM[step]:
        raise TransitionNotAllowed(_refusal(assignment, step))
    if step in REVIEW_STEPS and get_kind(assignment.item.kind).acknowledged_by_liaison:
        raise TransitionNotAllowed(
            _("This task is acknowledged by the branch's liaison committee member, not reviewed.")
        )
    return assignment


def _save(assignment: Assignment, fields: list[str]) -> None:
    assignment.version = F("version") + 1
    assignment.save(update_fields=sorted({*fields, "version", "updated_at"}))
    assignment.refresh_from_db(fields=["version"])


def _log_step(assignment: Assignment, step: str, user, old: str, comment: str = "", **extra):
    data = {"from": old, "to": assignment.status, "comment": comment, **extra}
    log_action(assignment, ASSIGNMENT_STEP_ACTIONS[step], user=user, data=data)


def _review_told(assignment: Assignment, step: str, user, comment: str) -> None:
    """The review comment joins the thread, and the branch hears of the outcome. Keyed by the
    assignment's version: one message per review, however often the call is repeated."""
    if comment:
        AssignmentComment.objects.create(
            assignment=assignment, author=user, side=CommentSide.OFFICE, body=comment, step=step
        )
    if step == ChangeKind.RETURNED:
        body = _("Returned by the office: %(comment)s") % {"comment": comment}
    else:
        body = _("Approved by the office.")
        if comment:
            body = f"{body} {comment}"
    tell_branch(assignment, step, f"{assignment.pk}:v{assignment.version}", body)


def _check_version(assignment: Assignment, version: int | None) -> None:
    if version is not None and version != assignment.version:
        raise EditConflict(
            _(
                "Someone else saved this task after you opened it. Your input is still in the "
                "form below (files must be chosen again); compare and save again."
            )
        )


@transaction.atomic
def save_draft(assignment_id: int, user, *, version: int | None, apply: Apply) -> Assignment:
    """Save the branch's work without submitting. A returned task stays returned."""
    assignment = _lock(assignment_id, user, "saved")
    _check_version(assignment, version)
    old = assignment.status
    fields = apply(assignment)
    if assignment.status == S.PENDING:
        assignment.status = S.DRAFT
    _save(assignment, [*fields, "status"])
    log_action(
        assignment, ACTION_ASSIGNMENT_SAVED, user=user, data={"from": old, "to": assignment.status}
    )
    return assignment


@transaction.atomic
def submit(
    assignment_id: int, user, *, version: int | None = None, apply: Apply | None = None
) -> Assignment:
    """Hand the work in. Accepted after the deadline too (it then counts as late)."""
    assignment = _lock(assignment_id, user, "submitted")
    _check_version(assignment, version)
    old = assignment.status
    fields = apply(assignment) if apply else []
    errors = get_kind(assignment.item.kind).submit_errors(assignment)
    if errors:
        # Raising inside the atomic block rolls back what apply() wrote: nothing changes.
        raise SubmitIncomplete(_("The task cannot be submitted yet."), *errors)
    now = timezone.now()
    assignment.status = S.SUBMITTED
    assignment.submitted_at = now
    if assignment.first_submitted_at is None:
        assignment.first_submitted_at = now
    _save(assignment, [*fields, "status", "submitted_at", "first_submitted_at"])
    plan_reminders(assignment)  # cancels the pending reminders
    _log_step(assignment, "submitted", user, old, late=assignment.is_late)
    return assignment


@transaction.atomic
def approve(assignment_id: int, user, *, comment: str = "") -> Assignment:
    assignment = _lock(assignment_id, user, "approved")
    old = assignment.status
    assignment.status = S.APPROVED
    assignment.approved_at = timezone.now()
    assignment.review_comment = comment.strip()
    _save(assignment, ["status", "approved_at", "review_comment"])
    plan_reminders(assignment)
    _log_step(assignment, "approved", user, old, comment.strip())
    _review_told(assignment, ChangeKind.APPROVED, user, comment.strip())
    return assignment


@transaction.atomic
def acknowledge(assignment_id: int, user, *, comment: str = "") -> Assignment:
    """The liaison committee member has heard the branch's self-check: it is done."""
    assignment = _lock(assignment_id, user, "acknowledged")
    old = assignment.status
    assignment.status = S.APPROVED
    assignment.approved_at = timezone.now()
    assignment.review_comment = comment.strip()
    _save(assignment, ["status", "approved_at", "review_comment"])
    plan_reminders(assignment)
    _log_step(assignment, "acknowledged", user, old, comment.strip())
    return assignment


@transaction.atomic
def return_for_changes(assignment_id: int, user, *, comment: str) -> Assignment:
    """Send the submission back; the branch must be told what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise TransitionNotAllowed(_("Write a comment telling the branch what to change."))
    assignment = _lock(assignment_id, user, "returned")
    old = assignment.status
    assignment.status = S.RETURNED
    assignment.returned_at = timezone.now()
    assignment.review_comment = comment
    _save(assignment, ["status", "returned_at", "review_comment"])
    plan_reminders(assignment)  # owed again: the future reminders come back
    _log_step(assignment, "returned", user, old, comment)
    _review_told(assignment, ChangeKind.RETURNED, user, comment)
    return assignment


@transaction.atomic
def grant_extension(
    assignment_id: int, user, *, until: date | None, reason: str = ""
) -> Assignment:
    """Move one branch's deadline (None removes the extension)."""
    if until is not None:
        refuse_date_outside_window(until)
    assignment = _lock(assignment_id, user, "extended")
    own = assignment.item.deadline
    if until is not None and own is not None and until < own:
        raise TransitionNotAllowed(_("An extension cannot end before the task's own deadline."))
    before = assignment.extended_until
    assignment.extended_until = until
    _save(assignment, ["extended_until"])
    plan_reminders(assignment)  # the reminders move with the deadline
    log_action(
        assignment,
        ACTION_ASSIGNMENT_EXTENDED,
        user=user,
        data={
            "from": assignment.status,
            "to": assignment.status,
            "comment": reason.strip(),
            "before": before.isoformat() if before else None,
            "after": until.isoformat() if until else None,
        },
    )
    if before != until:
        if until is None:
            body = _("The extension was withdrawn; the deadline is %(date)s again.")
        else:
            body = _("Your branch may hand in until %(date)s.")
        due = assignment.due_date
        body = body % {"date": due.isoformat() if due else DeadlineRule.NONE.label}
        if reason.strip():
            body = f"{body} {reason.strip()}"
        tell_branch(assignment, ChangeKind.EXTENDED, f"{assignment.pk}:v{assignment.version}", body)
    return assignment


def urge(assignment_id: int, user) -> UrgeRecord:
    """Record a 催办 for delivery by the reminder job; at most one per branch and item a day."""
    try:
        with transaction.atomic():
            assignment = _lock(assignment_id, user, "urged")
            record = UrgeRecord.objects.create(
                assignment=assignment, urged_by=user, urged_on=local_today()
            )
            log_action(
                assignment,
                ACTION_ASSIGNMENT_URGED,
                user=user,
                data={"from": assignment.status, "to": assignment.status, "comment": ""},
            )
            # Goes out at once (queued in this transaction), not with the next planned reminder.
            enqueue_urge(record)
    except IntegrityError as exc:
        raise AlreadyUrged(
            _("This branch was already reminded of this task today; try again tomorrow.")
        ) from exc
    return record


@dataclass(frozen=True)
class UrgeAllResult:
    urged: int
    already: int


@transaction.atomic
def urge_all_missing(item: TaskItem, user, assignments, *, now: datetime | None = None):
    """Urge every branch that still owes ``item`` and was not urged today.

    ``assignments`` is the caller's reviewable scope (tasks.access); rows outside it are never
    touched. Locks the rows so a concurrent single urge cannot slip between check and insert.
    """
    now = now or timezone.now()
    today = local_today(now)
    rows = list(
        assignments.filter(item=item, status__in=OPEN_STATUSES)
        .select_for_update(of=("self",))
        .select_related("item", "branch")
        .order_by("pk")
    )
    done = set(
        UrgeRecord.objects.filter(assignment__in=rows, urged_on=today).values_list(
            "assignment_id", flat=True
        )
    )
    todo = [a for a in rows if a.pk not in done]
    records = UrgeRecord.objects.bulk_create(
        [UrgeRecord(assignment=a, urged_by=user, urged_at=now, urged_on=today) for a in todo]
    )
    if records and records[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back.
        records = list(UrgeRecord.objects.filter(assignment__in=todo, urged_on=today))
    for assignment in todo:
        log_action(
            assignment,
            ACTION_ASSIGNMENT_URGED,
            user=user,
            data={"from": assignment.status, "to": assignment.status, "comment": "", "all": True},
        )
    enqueue_urges(records, {a.pk: a for a in todo}, now=now)
    return UrgeAllResult(urged=len(todo), already=len(done))


# --- the conversation on an assignment ---------------------------------------------------


@transaction.atomic
def post_comment(assignment_id: int, user, body: str) -> AssignmentComment:
    """Add a comment to the assignment's thread and tell the other side (the branch's people
    when the office writes, the party office when the branch writes)."""
    body = (body or "").strip()
    if not body:
        raise TransitionNotAllowed(_("Write a comment first."))
    if len(body) > COMMENT_MAX_LENGTH:
        raise TransitionNotAllowed(
            _("A comment can be at most %(n)s characters long.") % {"n": COMMENT_MAX_LENGTH}
        )
    assignment = Assignment.objects.select_related("item__area__notice", "branch").get(
        pk=assignment_id
    )
    if not can_comment_on_assignment(user, assignment):
        raise AccessRefused(_("You may not do this for this task."))
    side = CommentSide.OFFICE if can_review_assignment(user, assignment) else CommentSide.BRANCH
    comment = AssignmentComment.objects.create(
        assignment=assignment, author=user, side=side, body=body
    )
    log_action(assignment, ACTION_ASSIGNMENT_COMMENTED, user=user, data={"comment": body})
    author = getattr(user, "person", None)
    exclude = author.pk if author is not None else None
    key = str(comment.pk)
    if side == CommentSide.OFFICE:
        tell_branch(assignment, ChangeKind.COMMENT, key, body, exclude=exclude)
    else:
        tell_office(assignment, ChangeKind.COMMENT, key, body, exclude=exclude)
    return comment
