"""Who may read and write the office's side of the attachment forms."""

from __future__ import annotations

from portal.access import get_in_scope_or_404
from surveys.models import BrandPlan, Concern
from tasks.access import require_office, reviewable_assignments
from tasks.models import AssignmentStatus

#: The committee's opinion on a brand plan is written while the office reviews the plan, or
#: after it approved it (the committee often meets after the office has checked the form).
OPINION_STATUSES = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


def office_concerns(user):
    """Concerns sent in by the office's branches that need the institute's answer."""
    require_office(user)
    return (
        Concern.objects.needing_institute()
        .sent_in()
        .filter(sheet__assignment__in=reviewable_assignments(user))
    )


def get_brand_plan_for_opinion(user, assignment_pk) -> BrandPlan:
    """The brand plan of an assignment the user reviews, in a state that takes an opinion."""
    return get_in_scope_or_404(
        BrandPlan.objects.select_related("assignment__branch", "assignment__item").filter(
            assignment__in=reviewable_assignments(user),
            assignment__status__in=OPINION_STATUSES,
        ),
        assignment_id=assignment_pk,
    )


def can_give_opinion(user, assignment) -> bool:
    return (
        assignment.status in OPINION_STATUSES
        and reviewable_assignments(user).filter(pk=assignment.pk).exists()
    )
