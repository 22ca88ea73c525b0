"""The default rules of branch life: the service reloads them, and the data module that it reads
still says what migration 0004 loaded into every database."""

import importlib

import pytest

from branches import rules_data
from branches.models import DevelopmentStep, FrequencyRule, RelationRule, VotingRule
from branches.services.rules import ensure_default_rules

pytestmark = pytest.mark.django_db


def test_data_module_agrees_with_the_frozen_copy_in_migration_0004():
    # Reading the migration here is a test's business only; the application never imports it.
    migration = importlib.import_module("branches.migrations.0004_branch_life_rules")
    assert rules_data.FREQUENCIES == migration.FREQUENCIES
    assert rules_data.VOTING == migration.VOTING
    assert rules_data.STEPS == migration.STEPS
    assert rules_data.RELATION_RULES == migration.RELATION_RULES


def test_ensure_default_rules_restores_missing_rules_and_keeps_edited_ones():
    FrequencyRule.objects.filter(meeting_type="general_meeting").update(minimum=3)
    DevelopmentStep.objects.filter(code="oath").delete()
    RelationRule.objects.all().delete()
    VotingRule.objects.all().delete()

    ensure_default_rules()
    ensure_default_rules()  # idempotent

    assert FrequencyRule.objects.get(meeting_type="general_meeting", service="").minimum == 3
    assert DevelopmentStep.objects.get(code="oath").name == "入党宣誓"
    assert DevelopmentStep.objects.count() == len(rules_data.STEPS)
    assert RelationRule.objects.count() == len(rules_data.RELATION_RULES)
    assert VotingRule.objects.count() == len(rules_data.VOTING)
