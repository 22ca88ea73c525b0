"""The dossier pages: the 台账 entry, the year chooser, the background build with progress and
the download; access for the branch's editors, its liaison member and the office only."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from docx import Document

from dossiers.access import DOSSIER
from dossiers.audit_actions import ACTION_DOSSIER_BUILT, ACTION_DOSSIER_REQUESTED
from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.models import AuditEntry, OutboxMessage
from tasks.jobs import build_export
from tasks.models import Export, ExportStatus
from tests.builders.tasks import make_meeting
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _page(personas):
    return reverse("dossiers:branch", args=[personas.tree["branch_a"].pk])


def test_the_branch_page_offers_the_dossier_to_those_who_may_build_it(personas):
    url = reverse("branches:organisation_detail", args=[personas.tree["branch_a"].pk])
    dossier = reverse("dossiers:branch", args=[personas.tree["branch_a"].pk])
    for who in ("secretary_a", "office", "committee"):
        assert dossier in personas.client(who).get(url, **EN).content.decode(), who
    assert dossier not in personas.client("regional").get(url, **EN).content.decode()


def test_the_liaison_member_finds_his_branches_dossiers_on_his_home_page(personas):
    html = personas.client("committee").get(reverse("branches:liaison_branches"), **EN)
    body = html.content.decode()
    assert "Yearly dossiers" in body
    assert reverse("dossiers:branch", args=[personas.tree["branch_a"].pk]) in body


def test_years_with_records_are_offered(personas):
    make_meeting(personas.tree["branch_a"], date=date(2021, 5, 4))
    html = personas.client("secretary_a").get(_page(personas), **EN).content.decode()
    assert 'value="2021"' in html and 'value="2026"' in html  # and this year


def test_the_page_says_when_pdf_is_not_available(personas):
    make_meeting(personas.tree["branch_a"], date=date(2022, 5, 4))
    with mock.patch("dossiers.build.soffice_path", return_value=None):
        html = personas.client("secretary_a").get(_page(personas), **EN).content.decode()
        assert "PDF is not available on this server" in html and 'value="pdf"' not in html
        response = personas.client("secretary_a").post(
            _page(personas), {"year": "2022", "file_format": "pdf"}
        )
    assert response.status_code == 200 and not Export.objects.exists()


def test_a_request_queues_one_job_and_the_job_builds_the_word_file(personas):
    make_meeting(personas.tree["branch_a"], date=date(2022, 5, 4), theme="五四主题党日")
    client = personas.client("secretary_a")
    with mock.patch("portal.outbox.app.send_task") as send:
        first = client.post(_page(personas), {"year": "2022", "file_format": "docx"})
        second = personas.client("office").post(
            _page(personas), {"year": "2022", "file_format": "docx"}
        )
    assert not send.called  # the request never talks to the broker
    export = Export.objects.get()
    assert (export.kind, export.year, export.file_format) == (DOSSIER, 2022, "docx")
    detail = reverse("dossiers:export_detail", args=[export.pk])
    assert first["Location"] == second["Location"] == detail
    queued = OutboxMessage.objects.filter(published_at=None)
    assert [(m.task, m.args) for m in queued] == [("tasks.build_export", [export.pk])]
    assert AuditEntry.objects.filter(action=ACTION_DOSSIER_REQUESTED).count() == 1

    html = client.get(detail, **EN).content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    assert build_export.apply(args=[export.pk]).get() == "done"
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.filename.endswith(".docx")
    assert AuditEntry.objects.filter(action=ACTION_DOSSIER_BUILT, data__export=export.pk).exists()
    partial = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    download = reverse("dossiers:export_download", args=[export.pk])
    assert "hx-trigger" not in partial and download in partial
    response = client.get(download)
    assert response.status_code == 200
    with open(export.file.path, "rb") as handle:
        text = "\n".join(p.text for p in Document(handle).paragraphs)
    assert "五四主题党日" in text
    assert AuditEntry.objects.filter(action=ACTION_EXPORT_DOWNLOADED, data__kind=DOSSIER).exists()


def test_dossiers_of_another_branch_are_404(personas):
    export = Export.objects.create(
        kind=DOSSIER, organisation=personas.tree["branch_b"], year=2022, file_format="docx"
    )
    for who in ("secretary_a", "committee", "member", "regional"):
        client = personas.client(who)
        assert client.get(reverse("dossiers:export_detail", args=[export.pk])).status_code == 404
        assert (
            client.get(reverse("dossiers:branch", args=[export.organisation_id])).status_code == 404
        )
    ok = personas.client("secretary_b").get(reverse("dossiers:export_detail", args=[export.pk]))
    assert ok.status_code == 200
