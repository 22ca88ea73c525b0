import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organisation, OrgKind
from tests.builders.branches import make_person

pytestmark = pytest.mark.django_db


def test_lists_the_committee_branches_with_member_counts(personas):
    html = personas.client("office").get(reverse("branches:office_overview")).content.decode()
    assert "甲党支部" in html and "乙党支部" in html and "离退休党支部" in html
    assert "另一所党支部" not in html
    assert "甲党支部第1党小组" not in html  # groups are not branches


def test_query_count_does_not_grow_with_branches(personas):

    client = personas.client("office")
    client.get(reverse("branches:office_overview"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("branches:office_overview"))
        return len(queries)

    few = count()
    general = personas.tree["general"]
    for i in range(20):
        branch = Organisation.objects.add_child(
            Organisation.objects.get(pk=general.pk),
            create_kwargs={"name": f"新党支部{i}", "kind": OrgKind.BRANCH},
        )
        make_person(f"党员{i}", branch)
    assert count() == few
    assert "新党支部19" in client.get(reverse("branches:office_overview")).content.decode()
