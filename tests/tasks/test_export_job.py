"""Large workbooks: a Celery job with progress, one job for two requests, expiring links."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.models import AuditEntry, OutboxMessage
from tasks.audit_actions import ACTION_EXPORT_REQUESTED
from tasks.jobs import build_workbook, fail_stranded_exports
from tasks.jobs import delete_expired_exports as delete_expired_exports_job
from tasks.models import Export, ExportStatus
from tasks.publishing import publish_notice
from tasks.workbook import notice_exporters, request_export, run_export, write_workbook
from tests.builders.tasks import make_item, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


@pytest.fixture
def notice(personas):
    notice = make_notice(personas.tree["committee"], title="党支部工作提示")
    make_item(notice, area_number=1, label="1")
    make_item(notice, area_number=2, label="2")
    publish_notice(notice.pk, None)
    return notice


@pytest.fixture
def large(monkeypatch):
    """Treat every committee as large, so the request goes to the background job."""
    monkeypatch.setattr("tasks.views.exports.INLINE_MAX_BRANCHES", 0)


def test_two_requests_share_one_job(personas, notice, large):
    client = personas.client("office")
    url = reverse("tasks:export_request", args=[notice.pk])
    with mock.patch("portal.outbox.app.send_task") as send:
        first = client.post(url)
        second = personas.client("regional").post(url)
    assert not send.called  # the request never talks to the broker
    export = Export.objects.get()
    progress = reverse("tasks:export_detail", args=[export.pk])
    assert first["Location"] == second["Location"] == progress
    queued = OutboxMessage.objects.filter(published_at=None)
    assert [(m.task, m.args) for m in queued] == [("tasks.build_workbook", [export.pk])]
    assert export.status == ExportStatus.RUNNING and export.requested_by == personas.user("office")
    assert AuditEntry.objects.filter(action=ACTION_EXPORT_REQUESTED).count() == 1


def test_the_database_refuses_a_second_running_export(personas, notice):
    Export.objects.create(notice=notice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.create(notice=notice)
    # A request racing past the look-up joins the running job instead of failing.
    export, created = request_export(notice, personas.user("office"))
    assert not created and export == Export.objects.get()


def test_a_stale_running_export_does_not_block_a_new_one(personas, notice):
    old = Export.objects.create(notice=notice, created_at=timezone.now() - timedelta(hours=3))
    export, created = request_export(notice, personas.user("office"))
    assert created and export != old
    old.refresh_from_db()
    assert old.status == ExportStatus.FAILED


def test_progress_is_reported_up_to_100(notice, monkeypatch):
    monkeypatch.setattr("tasks.workbook.PROGRESS_EVERY_ROWS", 1)
    seen: list[int] = []
    buffer = io.BytesIO()
    write_workbook(notice, buffer, report=seen.append)
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) > 1
    assert load_workbook(io.BytesIO(buffer.getvalue())).sheetnames


def test_progress_leaves_the_exporters_as_they_are(notice, monkeypatch):
    """Progress comes from the writer's callback: no exporter has its methods replaced."""
    sheets = []

    def recording(notice):
        sheets.extend(notice_exporters(notice))
        return sheets

    monkeypatch.setattr("tasks.workbook.notice_exporters", recording)
    seen: list[int] = []
    write_workbook(notice, io.BytesIO(), report=seen.append)
    assert seen[-1] == 100
    assert sheets and all("display_rows" not in vars(sheet) for sheet in sheets)


def test_job_builds_the_file_and_the_page_offers_the_download(personas, notice):
    export = Export.objects.create(notice=notice, requested_by=personas.user("office"))
    client = personas.client("office")
    detail = reverse("tasks:export_detail", args=[export.pk])
    html = client.get(detail).content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    assert build_workbook.apply(args=[export.pk]).get() == "done"
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.file.name.startswith("exports/") and export.filename.endswith(".xlsx")
    assert timedelta(hours=23) < export.expires_at - timezone.now() <= timedelta(hours=24)
    partial = client.get(detail, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # polling stops
    assert reverse("tasks:export_download", args=[export.pk]) in body
    response = client.get(reverse("tasks:export_download", args=[export.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(wb.sheetnames) == 2
    assert AuditEntry.objects.filter(action=ACTION_EXPORT_DOWNLOADED, data__mode="job").exists()
    assert run_export(export.pk) == "skipped"  # a redelivered job does nothing


def test_expired_link_shows_a_clear_page(personas, notice):
    export = Export.objects.create(notice=notice, requested_by=personas.user("office"))
    run_export(export.pk)
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = personas.client("office").get(reverse("tasks:export_download", args=[export.pk]))
    assert response.status_code == 410
    assert reverse("tasks:notice_dashboard", args=[notice.pk]) in response.content.decode()


def test_download_of_a_running_export_goes_back_to_progress(personas, notice):
    export = Export.objects.create(notice=notice)
    response = personas.client("office").get(reverse("tasks:export_download", args=[export.pk]))
    assert response["Location"] == reverse("tasks:export_detail", args=[export.pk])


def test_a_failing_job_is_marked_failed(personas, notice, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tasks.workbook.write_workbook", boom)
    export = Export.objects.create(notice=notice)
    assert run_export(export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disk full" in export.error
    html = personas.client("office").get(reverse("tasks:export_detail", args=[export.pk]))
    assert html.status_code == 200 and "hx-trigger" not in html.content.decode()


def test_exports_of_another_committee_are_404(personas):
    other = make_notice(personas.tree["other_committee"])
    export = Export.objects.create(notice=other)
    assert (
        personas.client("office").get(reverse("tasks:export_detail", args=[export.pk])).status_code
        == 404
    )


def test_expired_workbook_files_are_deleted_and_the_rows_kept(personas, notice, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    old = Export.objects.create(notice=notice)
    run_export(old.pk)
    old.refresh_from_db()
    Export.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = Export.objects.create(notice=notice)
    run_export(fresh.pk)
    fresh.refresh_from_db()
    old_path, fresh_path = tmp_path / old.file.name, tmp_path / fresh.file.name
    leftover = tmp_path / "exports" / "dead.xlsx.part"  # a job that died mid-write
    leftover.write_bytes(b"half")
    os.utime(leftover, (0, 0))
    assert old_path.exists() and fresh_path.exists()

    assert delete_expired_exports_job() == 1

    assert not old_path.exists() and not leftover.exists()
    assert fresh_path.exists()
    old.refresh_from_db()
    assert old.file.name == "" and old.status == ExportStatus.DONE
    # The expired link still answers with the clear page, not an error.
    response = personas.client("office").get(reverse("tasks:export_download", args=[old.pk]))
    assert response.status_code == 410
    assert delete_expired_exports_job() == 0  # nothing left to do


def test_the_sweep_fails_exports_nobody_started_or_finished(personas, notice, settings):
    settings.EXPORT_START_TIMEOUT = timedelta(minutes=15)
    now = timezone.now()
    waiting = Export.objects.create(notice=notice, created_at=now - timedelta(minutes=16))
    other = make_notice(personas.tree["committee"], title="另一期")
    fresh = Export.objects.create(notice=other, created_at=now - timedelta(minutes=5))
    third = make_notice(personas.tree["committee"], title="第三期")
    building = Export.objects.create(
        notice=third, created_at=now - timedelta(minutes=40), progress=30
    )
    fourth = make_notice(personas.tree["committee"], title="第四期")
    dead = Export.objects.create(notice=fourth, created_at=now - timedelta(minutes=61), progress=50)

    assert fail_stranded_exports() == 2

    for export in (waiting, fresh, building, dead):
        export.refresh_from_db()
    assert (waiting.status, waiting.error) == (ExportStatus.FAILED, "not started")
    assert (dead.status, dead.error) == (ExportStatus.FAILED, "stale")
    assert fresh.status == building.status == ExportStatus.RUNNING
    assert run_export(waiting.pk) == "skipped"  # its job published late finds it failed
    page = personas.client("office").get(
        reverse("tasks:export_detail", args=[waiting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "hx-trigger" not in html
    assert "did not start building this workbook in time" in html
    # The user asks again: a new export is queued for the notice.
    export, created = request_export(notice, personas.user("office"))
    assert created and export.status == ExportStatus.RUNNING


def test_a_started_build_is_not_taken_for_a_lost_one(personas, notice, settings, monkeypatch):
    settings.EXPORT_START_TIMEOUT = timedelta(minutes=15)
    export = Export.objects.create(notice=notice)
    seen = []

    def slow(notice, target, *, report=None):
        # While the first sheet is being read, the sweep passes by (progress still at the start).
        with time_machine.travel(timezone.now() + timedelta(minutes=20)):
            seen.append(fail_stranded_exports())
        write_workbook(notice, target)

    monkeypatch.setattr("tasks.workbook.write_workbook", slow)
    assert run_export(export.pk) == "done"
    assert seen == [0]


def test_the_progress_page_says_when_the_build_has_not_started(personas, notice):
    export = Export.objects.create(notice=notice)
    client = personas.client("office")
    html = client.get(
        reverse("tasks:export_detail", args=[export.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "waiting to be built" in html and 'hx-trigger="every 1s"' in html
