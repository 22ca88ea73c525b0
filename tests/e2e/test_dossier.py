"""The yearly dossier in a browser on a phone: the secretary chooses the year, the page follows
the background build (htmx) until the download appears, and the file arrives; at 360 px nothing
sticks out sideways and axe-core finds no serious or critical violation."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tasks.jobs import build_export
from tasks.models import Export, ExportStatus
from tests.builders.tasks import make_meeting
from tests.e2e.test_home_pages import AXE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_secretary_builds_and_downloads_the_dossier_on_a_phone(browser, live_server, personas):
    branch = personas.tree["branch_a"]
    make_meeting(branch, date=date(2022, 5, 4), theme="学习党的二十大报告")
    context = browser.new_context(
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        viewport={"width": 360, "height": 800},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "secretary_a")
        page.fill("input[name=password]", personas.password())
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(f"{live_server.url}{reverse('dossiers:branch', args=[branch.pk])}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.select_option("select[name=year]", "2022")
        page.check("input[name=file_format][value=docx]")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.locator("#export-progress progress").is_visible()

        export = Export.objects.get(organisation=branch, year=2022)
        assert build_export.apply(args=[export.pk]).get() == "done"
        # The page polls every second and swaps the bar for the download.
        page.locator("#export-download").wait_for()
        assert Export.objects.get(pk=export.pk).status == ExportStatus.DONE
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations"
            ".map(v => ({id: v.id, impact: v.impact, where: v.nodes.map(n => n.target.join(' '))}))"
        )
        assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations
        with page.expect_download() as download:
            page.click("#export-download")
        assert download.value.suggested_filename.endswith(".docx")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
