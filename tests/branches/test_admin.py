import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["branches_organisation", "branches_person", "branches_role", "portal_auditentry"],
)
def test_admin_pages_work_for_a_superuser(personas, name):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_admin_labels_are_chinese(personas):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    html = client.get(reverse("admin:branches_person_changelist")).content.decode()
    assert "人员" in html and "党员类别" in html
