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
from tests.e2e.sessions import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_secretary_builds_and_downloads_the_dossier_on_a_phone(browser, live_server, personas):
    branch = personas.tree["branch_a"]
    make_meeting(branch, date=date(2022, 5, 4), theme="学习党的二十大报告")
    context, page = open_as(browser, live_server, personas, "secretary_a", 360)
    try:
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
        bad = serious_violations(page)
        assert not bad, bad
        with page.expect_download() as download:
            page.click("#export-download")
        assert download.value.suggested_filename.endswith(".docx")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
