"""The people of a branch: add, change, move (with a transfer record), mark deceased or left,
import from Excel."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit_actions import (
    ACTION_PERSON_ADDED,
    ACTION_PERSON_CHANGED,
    ACTION_PERSON_MOVED,
    ACTION_PERSON_STATUS_CHANGED,
    ACTION_ROSTER_IMPORTED,
)
from branches.models import Person, PersonStatus, RelationCase, RelationKind
from branches.services import Refused, add_months
from branches.services.relations import rule_months
from portal.audit import log_action

PERSON_FIELDS = ("name", "gender", "birth_date", "phone", "email", "member_type", "joined_on")


@transaction.atomic
def save_person(person: Person, *, user) -> Person:
    created = person.pk is None
    if created:
        person.save()
    else:
        person.save(update_fields=list(PERSON_FIELDS))
    log_action(
        person,
        ACTION_PERSON_ADDED if created else ACTION_PERSON_CHANGED,
        user=user,
        data={"branch": person.branch_id},
    )
    return person


@transaction.atomic
def move_person(
    person: Person, to_branch, *, day: date, letter_number: str = "", user
) -> RelationCase:
    """Move someone to another branch; the move is kept as a transfer record of the old branch."""
    if to_branch.pk == person.branch_id:
        raise Refused(_("%(name)s is already in this branch.") % {"name": person.name})
    if not to_branch.is_branch:
        raise Refused(_("People can only be moved to a Party branch."))
    old_branch = person.branch
    record = RelationCase.objects.create(
        person=person,
        kind=RelationKind.TRANSFER,
        branch=old_branch,
        opened_on=day,
        letter_number=letter_number,
        letter_issued_on=day,
        letter_valid_until=add_months(day, rule_months()["letter_validity"]),
        destination=to_branch.name,
        # Both branches are in the portal: the receiving branch has the member at once.
        receipt_on=day,
        closed_on=day,
    )
    person.branch = to_branch
    person.save(update_fields=["branch"])
    log_action(
        person,
        ACTION_PERSON_MOVED,
        user=user,
        data={
            "from": old_branch.pk if old_branch else None,
            "to": to_branch.pk,
            "record": record.pk,
        },
    )
    return record


@transaction.atomic
def set_status(person: Person, status: str, *, user) -> Person:
    if status not in (PersonStatus.DECEASED, PersonStatus.LEFT, PersonStatus.ACTIVE):
        raise Refused(_("This status cannot be set here."))
    old = person.status
    person.status = status
    person.save(update_fields=["status"])
    log_action(person, ACTION_PERSON_STATUS_CHANGED, user=user, data={"from": old, "to": status})
    return person


@transaction.atomic
def import_people(branch, rows: list[dict], *, user) -> int:
    """Add the imported people to ``branch`` (rows already validated)."""
    made = [
        Person(branch=branch, **{key: row.get(key) or blank_value(key) for key in PERSON_FIELDS})
        for row in rows
    ]
    Person.objects.bulk_create(made)
    log_action(branch, ACTION_ROSTER_IMPORTED, user=user, data={"rows": len(made)})
    return len(made)


def blank_value(key: str):
    """What an empty cell of ``key`` is stored as."""
    return None if key in ("birth_date", "joined_on") else ""
