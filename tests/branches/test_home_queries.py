"""Each role's home page issues the same number of queries with 10 and with 100 branches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organisation
from tests.builders.branch_life import applicant_case
from tests.builders.branches import make_person
from tests.clock import WORKDAY_MORNING
from tests.perf.data import build_assignments, build_branches, build_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]

#: The pinned counts: a new card adds its queries here, and must not add one per branch or per
#: member (committee: the dossier card and the count of the paged branch list; secretary_a:
#: the self-departure check reads the members' meetings, work, relation cases and dues at
#: once).
HOME_QUERIES = {"office": 22, "committee": 11, "secretary_a": 34}
ITEMS = 4


def _count(client, url) -> int:
    """Statements sent to the database, without the savepoints of the test's own transaction."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))


def _grow(personas, count: int, issue: int) -> None:
    """``count`` more branches with a notice's assignments and a development case in every fifth
    (the office's development card); the member liaises with them all."""
    committee = personas.tree["committee"]
    ids = build_branches(committee, count)
    for branch in Organisation.objects.filter(pk__in=ids[::5]):
        applicant_case(branch)
    ids.append(personas.tree["branch_a"].pk)
    notice = build_notice(committee, items=ITEMS, areas=2, issue_number=issue)
    build_assignments(notice, ids)
    personas.people["committee"].liaison_organisations.add(*Organisation.objects.filter(pk__in=ids))


@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_home_page_queries_are_pinned_and_do_not_grow_with_branches(personas, role):
    client = personas.client(role)
    url = client.get(reverse("branches:home")).url
    _grow(personas, 10, issue=1)
    client.get(url)  # warm the session and caches
    few = _count(client, url)
    _grow(personas, 90, issue=2)
    for index in range(20):  # the secretary's branch grows too
        make_person(f"新党员{index}", personas.tree["branch_a"])
    many = _count(client, url)
    assert few == many == HOME_QUERIES[role], (few, many)
