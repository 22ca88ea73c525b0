import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_committee_member_sees_his_liaison_branches_only(personas):
    html = personas.client("committee").get(reverse("branches:liaison_branches")).content.decode()
    assert "甲党支部" in html
    assert "乙党支部" not in html
