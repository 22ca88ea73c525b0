"""The audit log is append-only; the retention job never removes entries under six months."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.models import Person
from portal.audit import log_action
from portal.audit_actions import (
    ACTION_ACCESS_REFUSED,
    ACTION_CSRF_REFUSED,
    ACTION_EXPORT_DOWNLOADED,
)
from portal.exporters import Column, Exporter
from portal.jobs import purge_old_audit_entries
from portal.models import AppendOnlyError, AuditEntry
from portal.request_context import reset_current_request, set_current_request
from portal.xlsx_http import xlsx_response

pytestmark = pytest.mark.django_db


def entry_dated(days_ago: int) -> AuditEntry:
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days_ago)):
        return log_action(None, "test.entry", user=None, data={"age": days_ago})


def test_the_application_cannot_change_or_delete_entries():
    entry = entry_dated(0)
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_updates_too():
    entry = entry_dated(0)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portal_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.entry"


def test_on_postgresql_the_database_refuses_deleting_young_entries():
    if connection.vendor != "postgresql":
        pytest.skip("the delete trigger exists on PostgreSQL only")
    entry = entry_dated(30)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_retention_job_deletes_old_entries_only(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old, young = entry_dated(400), entry_dated(300)
    assert purge_old_audit_entries() == 1
    assert list(AuditEntry.objects.filter(action="test.entry")) == [young]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_retention_never_goes_below_six_months(settings):
    settings.AUDIT_RETENTION_DAYS = 10  # a misconfiguration
    five_months, seven_months = entry_dated(150), entry_dated(210)
    purge_old_audit_entries()
    assert AuditEntry.objects.filter(pk=five_months.pk).exists()
    assert not AuditEntry.objects.filter(pk=seven_months.pk).exists()


def test_data_changes_are_audited_with_the_acting_user(personas, rf):

    request = rf.post("/", REMOTE_ADDR="10.5.5.5")
    request.user = personas.user("office")
    token = set_current_request(request)
    try:
        person = Person.objects.create(name="新同志", branch=personas.tree["branch_a"])
        person.phone = "13900000000"
        person.save(update_fields=["phone"])
    finally:
        reset_current_request(token)
    mine = AuditEntry.objects.filter(object_id=str(person.pk), action__startswith="data.")
    created = mine.get(action="data.branches.person.created")
    assert (created.user, created.ip_address) == (personas.user("office"), "10.5.5.5")
    assert mine.get(action="data.branches.person.changed").data == {"fields": ["phone"]}


def test_refused_access_is_audited(personas):
    other = personas.tree["branch_b"].pk
    response = personas.client("secretary_a").get(
        reverse("branches:organisation_detail", args=[other])
    )
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action=ACTION_ACCESS_REFUSED)
    assert entry.user == personas.user("secretary_a")
    assert entry.data["path"] == f"/org/{other}/"


def test_csrf_failure_is_a_clear_page_and_audited(personas):

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    assert AuditEntry.objects.filter(action=ACTION_CSRF_REFUSED).exists()


def test_every_download_of_an_export_is_audited(personas, rf):

    class People(Exporter):
        identifier = "test_people"
        title = "人员"
        columns = [Column("name", "姓名")]

        def rows(self):
            yield ["张三"]

    request = rf.get("/")
    request.user = personas.user("office")
    token = set_current_request(request)
    try:
        xlsx_response(People(unit_name="党委"), filename="people.xlsx")
    finally:
        reset_current_request(token)
    entry = AuditEntry.objects.get(action=ACTION_EXPORT_DOWNLOADED)
    assert entry.user == personas.user("office")
    assert entry.data == {"file": "people.xlsx", "sheets": ["test_people"]}
