import pytest
from django.urls import reverse

from branches.models import Organisation

pytestmark = pytest.mark.django_db


def test_regional_viewer_sees_every_institute_read_only(personas):
    html = personas.client("regional").get(reverse("branches:region_tree")).content.decode()
    assert "测试中心党委" in html and "另一研究所党委" in html
    assert "<form" not in html.split('id="main"')[1]  # no editing controls in the content


def test_office_sees_only_its_committee(personas):
    html = personas.client("office").get(reverse("branches:region_tree")).content.decode()
    assert "测试中心党委" in html and "另一研究所党委" not in html


def test_the_tree_stops_at_the_committees_and_offers_their_subtrees(personas):
    html = personas.client("regional").get(reverse("branches:region_tree")).content.decode()
    committee = personas.tree["committee"]
    subtree = reverse("branches:region_subtree", args=[committee.pk])
    assert f'hx-get="{subtree}"' in html and f'href="{subtree}"' in html
    assert f'hx-target="#subtree-{committee.pk}"' in html
    assert personas.tree["branch_a"].name not in html.split('id="region-tree"')[1]


def test_the_subtree_is_a_fragment_for_htmx_and_a_page_without(personas):
    committee = personas.tree["committee"]
    url = reverse("branches:region_subtree", args=[committee.pk])
    client = personas.client("regional")
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and personas.tree["branch_a"].name in fragment
    below = Organisation.objects.within(committee).exclude(pk=committee.pk).filter(is_active=True)
    assert fragment.count('class="list-group-item') == below.count()
    page = client.get(url).content.decode()
    assert "<html" in page and personas.tree["branch_a"].name in page


def test_office_opens_only_its_own_committee(personas):
    client = personas.client("office")
    own = reverse("branches:region_subtree", args=[personas.tree["committee"].pk])
    other = reverse("branches:region_subtree", args=[personas.tree["other_committee"].pk])
    assert client.get(own, HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(other, HTTP_HX_REQUEST="true").status_code == 404


def test_subtree_query_count_is_bounded(personas, django_assert_max_num_queries):
    client = personas.client("regional")
    url = reverse("branches:region_subtree", args=[personas.tree["committee"].pk])
    client.get(url, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(8):
        client.get(url, HTTP_HX_REQUEST="true")
