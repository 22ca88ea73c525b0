"""Reload the missing default rules of branch life (idempotent), e.g. after a test database was
flushed or for the demo. Migrations 0004 and 0010 loaded them first (each with its own frozen
copy of the data in ``branches.rules_data``)."""

from __future__ import annotations

from django.db import transaction

from branches import rules_data
from branches.models import DevelopmentStep, FrequencyRule, LifeRule, RelationRule, VotingRule


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
    for code, label, value, note in rules_data.LIFE_RULES:
        LifeRule.objects.get_or_create(
            code=code, defaults={"label": label, "value": value, "note": note}
        )
    for code, (check, params) in rules_data.STEP_CHECKS.items():
        # Set only where the office has not given the step a check of its own.
        step = DevelopmentStep.objects.filter(code=code, rule="").first()
        if step is not None:
            step.rule, step.params = check, {**params, **step.params}
            step.save(update_fields=["rule", "params"])
