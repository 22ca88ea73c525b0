"""Migration 0007: the veto flags keep their effect of the old setting; every committee gets
the seed's star goal."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ratings.indicator_sets import current_set
from ratings.models import Indicator, StarGoal

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ratings.migrations.0007_star_goal_and_veto_as_data")


def _flag_20(personas):
    indicator_set = current_set(personas.tree["committee"], 2022)
    Indicator.objects.filter(indicator_set=indicator_set, number=20).update(is_veto=True)


def test_veto_flags_stay_where_the_old_setting_made_them_cap(personas, monkeypatch):
    _flag_20(personas)
    monkeypatch.setenv("RATINGS_VETO_CAPS_AT_TWO", "true")
    migration.veto_flags_from_the_setting(apps, None)
    assert list(Indicator.objects.filter(is_veto=True).values_list("number", flat=True)) == [20]


@pytest.mark.parametrize("value", [None, "0", "off"])
def test_veto_flags_that_only_marked_are_cleared(personas, monkeypatch, value):
    _flag_20(personas)
    if value is None:
        monkeypatch.delenv("RATINGS_VETO_CAPS_AT_TWO", raising=False)
    else:
        monkeypatch.setenv("RATINGS_VETO_CAPS_AT_TWO", value)
    migration.veto_flags_from_the_setting(apps, None)
    assert not Indicator.objects.filter(is_veto=True).exists()


def test_every_committee_gets_the_seed_s_goal(personas):
    migration.seed_goals(apps, None)
    goals = {g.committee.name: (g.star, g.year) for g in StarGoal.objects.all()}
    assert goals == {
        personas.tree["committee"].name: (3, 2023),
        personas.tree["other_committee"].name: (3, 2023),
    }
