"""Reload the missing default rules of branch life (idempotent), e.g. after a test database was
flushed or for the demo. Migration 0004 loaded them first."""

from __future__ import annotations

from django.db import transaction

from branches import rules_data
from branches.models import DevelopmentStep, FrequencyRule, RelationRule, VotingRule


@transaction.atomic
def ensure_default_rules() -> None:
    for meeting_type, period, minimum, note in rules_data.FREQUENCIES:
        FrequencyRule.objects.get_or_create(
            meeting_type=meeting_type,
            period=period,
            service="",
            defaults={"minimum": minimum, "note": note},
        )
    for meeting_type, quorum, majority in rules_data.VOTING:
        VotingRule.objects.get_or_create(
            meeting_type=meeting_type,
            defaults={"quorum_share": quorum, "majority_share": majority},
        )
    for code, stage, order, name, check, severity, params, effect, due in rules_data.STEPS:
        DevelopmentStep.objects.get_or_create(
            code=code,
            defaults={
                "stage": stage,
                "order": order,
                "name": name,
                "rule": check,
                "severity": severity,
                "params": params,
                "effect": effect,
                "due_after_days": due,
            },
        )
    for code, label, months in rules_data.RELATION_RULES:
        RelationRule.objects.get_or_create(code=code, defaults={"label": label, "months": months})
