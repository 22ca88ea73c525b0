import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_and_sees_his_branch(personas, login, page, live_server):
    login("secretary_a", personas.password())

    assert page.url.endswith(f"/org/{personas.tree['branch_a'].pk}/")
    assert page.locator("h1").inner_text() == "甲党支部"
    assert "甲书记" in page.locator("nav.navbar").inner_text()
    # The interface speaks Chinese by default.
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_wrong_password_says_so_without_naming_the_field(personas, login, page):
    login("secretary_a", "not-the-password")

    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger, .invalid-feedback, .errorlist").count() >= 1
