"""Names of the audit actions of star rating (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_INDICATOR_SET_COPIED = "ratings.indicator_set.copied"
ACTION_INDICATOR_SET_CHANGED = "ratings.indicator_set.changed"
ACTION_GOAL_CHANGED = "ratings.goal.changed"

ACTION_ROUND_OPENED = "ratings.round.opened"
ACTION_ROUND_CLOSED = "ratings.round.closed"
ACTION_ROUND_PUBLISHED = "ratings.round.published"
ACTION_RATING_CREATED = "ratings.rating.created"
ACTION_RATING_CHANGED = "ratings.rating.changed"
ACTION_DECISION_RECORDED = "ratings.decision.recorded"
