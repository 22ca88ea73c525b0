import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_regional_viewer_sees_every_institute_read_only(personas):
    html = personas.client("regional").get(reverse("branches:region_tree")).content.decode()
    assert "测试中心党委" in html and "另一研究所党委" in html
    assert "<form" not in html.split('id="main"')[1]  # no editing controls in the content


def test_office_sees_only_its_committee(personas):
    html = personas.client("office").get(reverse("branches:region_tree")).content.decode()
    assert "测试中心党委" in html and "另一研究所党委" not in html
