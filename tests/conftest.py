from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from branches.models import Organisation, OrgKind, Person, RoleKind
from tests.builders.branches import PASSWORD, make_person, make_tree

PERSONA_NAMES = ("office", "committee", "secretary_a", "secretary_b", "member", "anonymous")


@dataclass
class Personas:
    """The people of DESIGN.md §5.8 and the tree they live in."""

    tree: dict[str, Organisation]
    people: dict[str, Person]

    def user(self, name: str):
        return self.people[name].user if name in self.people else None

    def client(self, name: str) -> Client:
        client = Client()
        if name != "anonymous":
            client.force_login(self.people[name].user)
        return client

    def password(self) -> str:
        return PASSWORD


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads made by any test land in a scratch folder, never in var/.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "uploads"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures a page keeps for a minute (the region's roll-up) are not carried from one test
    into the next, whose database is another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request's LocaleMiddleware leaves its language active in the thread: each test starts
    from the portal's own language, whichever test ran before it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fixed_clock(request):
    """A test marked ``clock(at=moment)`` runs with its clock at ``moment``; it runs on from
    there, or stands still with ``tick=False``. Autouse, so it starts before the test's own
    fixtures, which therefore see that time too."""
    marker = request.node.get_closest_marker("clock")
    if marker is None or "at" not in marker.kwargs:
        yield
        return
    with time_machine.travel(marker.kwargs["at"], tick=marker.kwargs.get("tick", True)):
        yield


@pytest.fixture
def tree(db) -> dict[str, Organisation]:
    return make_tree()


@pytest.fixture
def personas(tree) -> Personas:
    committee, branch_a, branch_b = tree["committee"], tree["branch_a"], tree["branch_b"]
    people = {
        "office": make_person(
            "党办干事", branch_b, username="office", roles=[(RoleKind.OFFICE, committee)]
        ),
        "committee": make_person(
            "党委委员",
            branch_b,
            username="committee",
            roles=[(RoleKind.COMMITTEE_MEMBER, committee)],
        ),
        "secretary_a": make_person(
            "甲书记", branch_a, username="secretary_a", roles=[(RoleKind.SECRETARY, branch_a)]
        ),
        "secretary_b": make_person(
            "乙书记", branch_b, username="secretary_b", roles=[(RoleKind.SECRETARY, branch_b)]
        ),
        "member": make_person(
            "普通党员", branch_a, username="member", roles=[(RoleKind.MEMBER, branch_a)]
        ),
        "regional": make_person(
            "分院干部",
            None,
            username="regional",
            roles=[(RoleKind.REGIONAL_VIEWER, tree["region"])],
        ),
    }
    branch_a.liaison_members.add(people["committee"])
    return Personas(tree=tree, people=people)


@pytest.fixture
def second_committee(personas) -> Personas:
    """The personas plus the people of a second committee of the same region (its office, a
    committee member and the secretary of its branch), for tests that one committee's staff
    never reach the other's objects. The personas above stay as they are."""
    other_committee, other_branch = personas.tree["other_committee"], personas.tree["other_branch"]
    # A second branch, so that the committee's member rates a branch he does not belong to.
    second_branch = Organisation.objects.add_child(
        other_committee,
        create_kwargs={
            "name": "另一所第二党支部",
            "kind": OrgKind.BRANCH,
            "founded_on": date(2015, 1, 1),
        },
    )
    personas.tree["other_committee"] = Organisation.objects.get(pk=other_committee.pk)
    personas.tree["other_branch_b"] = Organisation.objects.get(pk=second_branch.pk)
    personas.people.update(
        office_2=make_person(
            "二所党办干事",
            other_branch,
            username="office_2",
            roles=[(RoleKind.OFFICE, other_committee)],
        ),
        committee_2=make_person(
            "二所党委委员",
            personas.tree["other_branch_b"],
            username="committee_2",
            roles=[(RoleKind.COMMITTEE_MEMBER, other_committee)],
        ),
        secretary_c=make_person(
            "丙书记",
            other_branch,
            username="secretary_c",
            roles=[(RoleKind.SECRETARY, other_branch)],
        ),
    )
    return personas
