import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_member_sees_his_own_record(personas):
    html = personas.client("member").get(reverse("branches:my_profile")).content.decode()
    assert "普通党员" in html and "甲党支部" in html


def test_login_without_person_gets_a_hint(db):

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.create_user("loner", password="x"))
    assert (
        "not linked to a person record"
        in client.get(reverse("branches:my_profile")).content.decode()
    )
