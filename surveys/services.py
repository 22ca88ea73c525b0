"""Writes to the office's side of the attachment forms (each with its audit entry)."""

from __future__ import annotations

from django.db import transaction

from portal.audit import log_action
from surveys.audit_actions import ACTION_BRAND_PLAN_OPINION
from surveys.models import BrandPlan


@transaction.atomic
def record_committee_opinion(plan: BrandPlan, opinion: str, *, user) -> BrandPlan:
    """The committee's opinion (党委意见) on a branch's brand plan: written by the office at
    review, never by the branch (the branch's form and import leave this field alone)."""
    locked = BrandPlan.objects.select_for_update().get(pk=plan.pk)
    was = locked.committee_opinion
    locked.committee_opinion = opinion.strip()
    locked.save(update_fields=["committee_opinion", "updated_at"])
    log_action(
        plan.assignment,
        ACTION_BRAND_PLAN_OPINION,
        user=user,
        data={"opinion": locked.committee_opinion, "was": was},
    )
    return locked
