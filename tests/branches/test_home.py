import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("office", lambda p: reverse("branches:office_overview")),
        ("committee", lambda p: reverse("branches:liaison_branches")),
        (
            "secretary_a",
            lambda p: reverse("branches:organisation_detail", args=[p.tree["branch_a"].pk]),
        ),
        (
            "secretary_b",
            lambda p: reverse("branches:organisation_detail", args=[p.tree["branch_b"].pk]),
        ),
        ("regional", lambda p: reverse("branches:region_tree")),
        ("member", lambda p: reverse("branches:my_profile")),
    ],
)
def test_each_role_lands_on_its_page(personas, persona, landing):
    response = personas.client(persona).get(reverse("branches:home"))
    assert response.status_code == 302
    assert response.url == landing(personas)


def test_anonymous_is_sent_to_login(personas):
    response = personas.client("anonymous").get(reverse("branches:home"))
    assert response.url.startswith(reverse("login"))
