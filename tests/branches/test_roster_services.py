"""Roster writes: a move opens a transfer record; statuses; import."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import Person, PersonStatus, RelationKind
from branches.services import Refused
from branches.services.roster import import_people, move_person, set_status
from tests.builders.branch_life import members

pytestmark = pytest.mark.django_db


def test_move_opens_a_transfer_record_in_the_old_branch(tree):
    person = members(tree["branch_a"], 1)[0]
    record = move_person(
        person, tree["branch_b"], day=date(2022, 10, 1), letter_number="2022-07", user=None
    )
    person.refresh_from_db()
    assert person.branch == tree["branch_b"]
    assert record.kind == RelationKind.TRANSFER and record.branch == tree["branch_a"]
    assert record.destination == tree["branch_b"].name and record.letter_valid_until == date(
        2023, 1, 1
    )


def test_move_to_the_same_branch_or_a_non_branch_is_refused(tree):
    person = members(tree["branch_a"], 1)[0]
    with pytest.raises(Refused):
        move_person(person, tree["branch_a"], day=date(2022, 10, 1), user=None)
    with pytest.raises(Refused):
        move_person(person, tree["general"], day=date(2022, 10, 1), user=None)


def test_status_changes(tree):
    person = members(tree["branch_a"], 1)[0]
    set_status(person, PersonStatus.DECEASED, user=None)
    assert Person.objects.get(pk=person.pk).status == PersonStatus.DECEASED
    with pytest.raises(Refused):
        set_status(person, PersonStatus.TRANSFERRED_OUT, user=None)


def test_import_adds_people(tree):
    count = import_people(
        tree["branch_b"],
        [{"name": "新人", "member_type": "full", "birth_date": date(1990, 1, 1)}],
        user=None,
    )
    assert count == 1 and Person.objects.get(name="新人").branch == tree["branch_b"]
