"""A yearly star rating in the browser: the office opens the round, two committee members rate
blind, the office closes it, records the committee's stars and publishes; the results show
the stars, the history and the goal, and download as Excel. Every page fits 360 px."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches.models import RoleKind
from ratings.indicator_sets import load_default_indicators
from ratings.models import CommitteeRating, RatingRound, RoundStatus, StarDecision
from tests.builders.branches import make_person
from tests.builders.ratings import self_assess
from tests.ratings.test_results import run_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _placeholder_indicators(db):

    load_default_indicators()


def _fits_360(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 360, f"{page.url} is {width}px wide at 360px"


def _as(page, login, personas, username):
    page.context.clear_cookies()
    login(username, personas.password())


def _rate(page, url, star, comment):
    page.goto(url)
    assert "会议记录第1号" in page.inner_text("#evidence")  # the self-assessment's evidence
    page.select_option("select[name=score_political]", "4")
    page.fill("textarea[name=opinion_role]", comment)
    page.check(f"#rating-form input[name=star][value='{star}']")
    page.fill("textarea[name=comment]", comment)
    with page.expect_navigation():
        page.click("#rating-form button[type=submit]")


def test_a_whole_round_from_self_assessment_to_published_stars(personas, login, page, live_server):
    base = live_server.url
    run_round(personas, 2021, {"branch_a": 2, "branch_b": 3})  # last year's stars: the history
    self_assess(personas, "branch_a", 4)
    self_assess(personas, "branch_b", 3)
    third = make_person(
        "第三委员",
        personas.tree["retired"],
        username="committee3",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )
    assert third.user

    # The office opens the 2022 round.
    _as(page, login, personas, "office")
    page.goto(f"{base}{reverse('ratings:rounds')}")
    _fits_360(page)
    page.select_option("select[name=committee]", str(personas.tree["committee"].pk))
    page.fill("input[name=year]", "2022")
    with page.expect_navigation():
        page.click("#open-round button[type=submit]")
    rating_round = RatingRound.objects.get(year=2022)
    assert page.locator("#round-branches tbody tr").count() == 2
    rate_a = base + reverse(
        "ratings:rate_branch", args=[rating_round.pk, personas.tree["branch_a"].pk]
    )
    rate_b = base + reverse(
        "ratings:rate_branch", args=[rating_round.pk, personas.tree["branch_b"].pk]
    )

    # Two committee members rate branch A; the first cannot rate his own branch B.
    _as(page, login, personas, "committee")
    page.goto(f"{base}{reverse('ratings:rate_list')}")
    assert "乙党支部" not in page.inner_text("main")
    _rate(page, rate_a, 4, "支部工作扎实")
    _fits_360(page)
    _as(page, login, personas, "committee3")
    page.goto(rate_a)
    assert "支部工作扎实" not in page.content()  # blind while open
    _fits_360(page)
    _rate(page, rate_a, 5, "品牌特色鲜明")
    _rate(page, rate_b, 3, "仍需加强")
    assert CommitteeRating.objects.count() == 3

    # The office closes the round, sees the figures and decides each star.
    _as(page, login, personas, "office")
    detail = f"{base}{reverse('ratings:round_detail', args=[rating_round.pk])}"
    page.goto(detail)
    with page.expect_navigation():
        page.click("#close-round")
    row_a = page.locator(f"#round-branches tr[data-branch='{personas.tree['branch_a'].pk}']")
    assert "4.5" in row_a.inner_text()  # mean of 4 and 5
    _fits_360(page)
    for branch, star in (("branch_a", "4"), ("branch_b", "3")):
        page.goto(
            f"{base}{reverse('ratings:decide', args=[rating_round.pk, personas.tree[branch].pk])}"
        )
        _fits_360(page)
        page.check(f"#decision-form input[name=star][value='{star}']")
        page.fill("textarea[name=rationale]", "党委会议综合评定")
        with page.expect_navigation():
            page.click("#decision-form button[type=submit]")
    with page.expect_navigation():
        page.click("#publish-round")
    assert RatingRound.objects.get(pk=rating_round.pk).status == RoundStatus.PUBLISHED
    assert dict(
        StarDecision.objects.published().of_year(2022).values_list("branch__name", "star")
    ) == {
        "甲党支部": 4,
        "乙党支部": 3,
    }

    # After closing, the members see each other's ratings.
    _as(page, login, personas, "committee3")
    page.goto(rate_a)
    assert "支部工作扎实" in page.inner_text("#member-ratings")

    # The results: this year's stars, the history and the goal; the Excel download.
    _as(page, login, personas, "committee")
    page.goto(f"{base}{reverse('ratings:results')}")
    _fits_360(page)
    assert page.inner_text("#goal-count").startswith("2")  # both in-service branches ≥ 3
    history = page.inner_text("#star-history")
    assert "2021" in history and "2022" in history
    with page.expect_download() as download:
        page.click(f"a[href='{reverse('ratings:results_export', args=[rating_round.pk])}']")
    assert download.value.suggested_filename.endswith(".xlsx")
