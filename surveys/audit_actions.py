"""Names of the audit actions of the sheets (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_CONCERN_ANSWERED = "surveys.service_survey.concern_answered"
ACTION_BRAND_PLAN_OPINION = "surveys.brand_plan.opinion_recorded"
