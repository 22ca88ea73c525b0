"""Receivers that keep assignments in step with the organisation tree."""

from __future__ import annotations

from tasks.publishing import resolve_rating_deadlines, sync_assignments_for_branch


def organisation_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not instance.is_branch or not instance.is_active:
        return
    # Idempotent (ignore_conflicts), so saving a branch again costs a query and changes nothing.
    sync_assignments_for_branch(instance)


def rating_round_saved(sender, instance, raw=False, **kwargs) -> None:
    """A rating round's date is the deadline of the year's "before the annual rating" items."""
    if raw:
        return
    resolve_rating_deadlines(instance.committee_id, instance.year, instance.decision_due)
