"""The dashboard and the workbook issue the same number of queries at 10 and at 500 branches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.xlsx import write_xlsx
from tasks.workbook import notice_exporters
from tests.perf.data import build_assignments, build_branches, build_notice

pytestmark = pytest.mark.django_db

DASHBOARD_MAX_QUERIES = 12
ITEMS = 6


def _notice_with(personas, branches: int):
    committee = personas.tree["committee"]
    ids = build_branches(committee, branches, per_general=50)
    notice = build_notice(committee, items=ITEMS, areas=3, issue_number=branches)
    build_assignments(notice, ids)
    return notice


def _count(fn) -> tuple[int, list[str]]:
    """Statements sent to the database, without the savepoints of the test's own transaction
    (in production the session save is one UPDATE in autocommit, without savepoints)."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    sqls = [q["sql"] for q in ctx.captured_queries]
    sqls = [sql for sql in sqls if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return len(sqls), sqls


@pytest.mark.parametrize("view", ["tasks:notice_dashboard", "tasks:liaison_dashboard"])
def test_dashboard_queries_do_not_grow_with_branches(personas, view):
    client = personas.client("office" if view == "tasks:notice_dashboard" else "committee")
    small = _notice_with(personas, 10)
    large = _notice_with(personas, 500)
    client.get(reverse(view, args=[small.pk]))  # warm the session and caches
    counts = []
    for notice in (small, large):
        url = reverse(view, args=[notice.pk])
        response = None

        def get(url=url):
            nonlocal response
            response = client.get(url, {"status": "overdue"})

        n, sqls = _count(get)
        assert response.status_code == 200
        counts.append(n)
        assert n <= DASHBOARD_MAX_QUERIES, "\n".join(sqls)
    assert counts[0] == counts[1], counts


def test_office_dashboard_counts_every_branch(personas):
    notice = _notice_with(personas, 500)
    response = personas.client("office").get(reverse("tasks:notice_dashboard", args=[notice.pk]))
    board = response.context["dashboard"]
    assert board.totals["cells"] == 500 * ITEMS
    assert len(board.rows) == 500 + 3  # and the three branches of the personas' tree
    assert len(response.context["page"].object_list) == 100  # rows are paged


def test_workbook_queries_do_not_grow_with_branches(personas):

    small = _notice_with(personas, 10)
    large = _notice_with(personas, 500)
    counts = []
    for notice in (small, large):
        counts.append(_count(lambda notice=notice: write_xlsx(notice_exporters(notice)))[0])
    assert counts[0] == counts[1], counts
