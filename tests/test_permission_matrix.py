"""Every URL × every persona → the expected status. A URL missing here fails the build.

Rows name a URL pattern, how to build its arguments from the personas, and the status each
persona gets on GET. An object outside the persona's scope answers 404 (never 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from branches.models import RelationCase, RelationKind
from ratings import services
from ratings.indicator_sets import current_set, load_default_indicators
from ratings.models import RatingRound
from tasks.models import Export, ExportStatus, Notification
from tasks.preferences import regenerate_calendar_token
from tests.builders.branch_life import applicant_case, members
from tests.builders.dues import member_with_base, pay
from tests.builders.surveys import submitted_survey
from tests.builders.tasks import (
    assignment_of,
    attach_file,
    attach_item_file,
    attach_meeting_file,
    form_assignment,
    make_item,
    make_meeting,
    make_notice,
    published_item,
)
from tests.tasks.test_notice_attachment import attach_reference
from tests.tasks.test_notice_attachment_template import attach_form

PERSONAS = ("anonymous", "office", "committee", "secretary_a", "secretary_b", "member", "regional")
LOGGED_IN = PERSONAS[1:]


@dataclass
class Row:
    expect: dict[str, int]
    args: Callable = field(default=lambda p: ())

    def status_for(self, persona: str) -> int:
        return self.expect[persona]


def only(status: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    """All logged-in personas get ``status`` unless overridden; anonymous is sent to login."""
    expect = {name: status for name in LOGGED_IN}
    expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect


def branch_a(p):
    return (p.tree["branch_a"].pk,)


#: Branch-life records: the branch's editors and the committee's readers (not other branches).
READERS = only(404, office=200, committee=200, secretary_a=200, regional=200)

#: A branch's yearly dossier: its editors, its liaison committee member and the office.
DOSSIER_READERS = only(404, office=200, committee=200, secretary_a=200)

MATRIX: dict[str, Row] = {
    # portal
    "login": Row(only(302, anonymous=200)),
    "logout": Row(only(405, anonymous=405)),
    "password_change": Row(only(200)),
    "password_change_done": Row(only(200)),
    "set_language": Row(only(405, anonymous=405)),
    "healthz": Row(only(200, anonymous=200)),
    "two_factor_verify": Row(only(302)),  # no device: straight on to the home page
    "two_factor_setup": Row(only(200)),
    "two_factor_recovery_codes": Row(only(405)),  # POST only; tested in test_two_factor
    "admin:index": Row(only(302)),
    # branches
    "branches:home": Row(only(302)),
    "branches:office_overview": Row(only(404, office=200)),
    "branches:liaison_branches": Row(only(404, committee=200)),
    "branches:region_tree": Row(only(404, office=200, regional=200)),
    "branches:region_subtree": Row(
        only(404, office=200, regional=200), lambda p: (p.tree["committee"].pk,)
    ),
    "branches:organisation_detail": Row(
        only(404, office=200, committee=200, secretary_a=200, regional=200), branch_a
    ),
    "branches:my_profile": Row(only(200)),
    # --- branches: the office's security pages -----------------------------------------------
    "branches:office_audit_log": Row(only(404, office=200)),
    "branches:office_lockouts": Row(only(404, office=200)),
    "branches:office_unlock": Row(only(405), lambda p: (1,)),  # POST only; tested in its own module
    "branches:office_unlock_address": Row(
        only(405), lambda p: ("10.0.0.1",)
    ),  # POST only, likewise
    # --- branches: meeting records (editors of the branch and the office) -------------------
    "branches:branch_meetings": Row(READERS, branch_a),
    "branches:branch_meeting_create": Row(only(404, office=200, secretary_a=200), branch_a),
    "branches:branch_meeting_edit": Row(
        only(404, office=200, secretary_a=200), lambda p: _meeting(p)
    ),
    "branches:branch_meeting_file": Row(READERS, lambda p: _meeting_file(p)),
    # --- branches: branch life (editors write; committee members and regional viewers read) --
    "branches:branch_meeting_detail": Row(READERS, lambda p: _meeting(p)),
    "branches:branch_meeting_resolution_add": Row(only(405, anonymous=405), lambda p: _meeting(p)),
    "branches:branch_meeting_follow_up_add": Row(only(405, anonymous=405), lambda p: _meeting(p)),
    "branches:branch_meeting_calendar": Row(READERS, branch_a),
    "branches:branch_meeting_export": Row(READERS, branch_a),
    "branches:branch_compliance": Row(READERS, branch_a),
    "branches:branch_development": Row(READERS, branch_a),
    "branches:branch_development_case_create": Row(
        only(404, office=200, secretary_a=200), branch_a
    ),
    "branches:branch_development_case": Row(READERS, lambda p: _development_case(p)),
    "branches:branch_development_case_extend": Row(
        only(405, anonymous=405), lambda p: _development_case(p)
    ),
    "branches:branch_development_case_stop": Row(
        only(405, anonymous=405), lambda p: _development_case(p)
    ),
    "branches:office_development": Row(only(404, office=200, committee=200, regional=200)),
    "branches:branch_relations": Row(READERS, branch_a),
    "branches:branch_relation_case_create": Row(only(404, office=200, secretary_a=200), branch_a),
    "branches:branch_relation_case": Row(READERS, lambda p: _relation_case(p)),
    "branches:branch_relation_case_edit": Row(
        only(404, office=200, secretary_a=200), lambda p: _relation_case(p)
    ),
    "branches:branch_relation_attempt_add": Row(
        only(405, anonymous=405), lambda p: _relation_case(p)
    ),
    "branches:office_relations": Row(only(404, office=200, committee=200, regional=200)),
    "branches:branch_roster": Row(READERS, branch_a),
    "branches:branch_person_add": Row(only(404, office=200, secretary_a=200), branch_a),
    "branches:branch_person_edit": Row(
        only(404, office=200, secretary_a=200), lambda p: _roster_person(p)
    ),
    "branches:branch_person_move": Row(
        only(404, office=200, secretary_a=200), lambda p: _roster_person(p)
    ),
    "branches:branch_person_status": Row(only(405, anonymous=405), lambda p: _roster_person(p)),
    "branches:branch_roster_template": Row(only(404, office=200), branch_a),
    "branches:branch_roster_import": Row(only(404, office=200), branch_a),
    "branches:branch_roster_import_confirm": Row(only(405, anonymous=405), branch_a),
    # --- end of the branch-life rows -----------------------------------------------------------
    # --- tasks: office compose and review ---------------------------------------------------
    "tasks:notice_list": Row(only(404, office=200)),
    "tasks:notice_create": Row(only(404, office=200)),
    "tasks:notice_import": Row(only(404, office=200)),
    # A token this session does not hold: the office is sent back to upload, the rest 404.
    "tasks:notice_import_preview": Row(only(404, office=302), lambda p: ("unknown-token",)),
    "tasks:notice_source": Row(only(404, office=200), lambda p: _notice_with_source(p)),
    "tasks:notice_detail": Row(only(404, office=200), lambda p: _draft_notice(p)),
    "tasks:notice_edit": Row(only(404, office=200), lambda p: _draft_notice(p)),
    "tasks:notice_publish": Row(only(405), lambda p: _draft_notice(p)),
    "tasks:area_create": Row(only(404, office=200), lambda p: _draft_notice(p)),
    "tasks:area_edit": Row(only(404, office=200), lambda p: _area(p)),
    "tasks:item_create": Row(only(404, office=200), lambda p: _draft_notice(p)),
    "tasks:item_edit": Row(only(404, office=200), lambda p: _item(p)),
    "tasks:item_withdraw": Row(only(405), lambda p: _item(p)),
    "tasks:notice_copy": Row(only(405), lambda p: _draft_notice(p)),  # POST only
    "tasks:area_delete": Row(only(405), lambda p: _area(p)),  # POST only
    "tasks:item_delete": Row(only(405), lambda p: _item(p)),  # POST only
    "tasks:item_file": Row(
        only(404, office=200, secretary_a=200, secretary_b=200), lambda p: _item_file(p)
    ),
    "tasks:notice_attachment_upload": Row(only(405), lambda p: _notice_attachment(p)),  # POST
    "tasks:notice_attachment": Row(
        only(404, office=200, secretary_a=200, secretary_b=200), lambda p: _notice_attachment(p)
    ),
    "tasks:notice_attachment_template": Row(
        only(404, office=200, secretary_a=200, secretary_b=200), lambda p: _form_attachment(p)
    ),
    "tasks:review_list": Row(only(404, office=200)),
    "tasks:review_bulk_approve": Row(only(405)),  # POST only
    "tasks:assignment_review": Row(only(405), lambda p: _assignment(p)),
    "tasks:assignment_extend": Row(only(405), lambda p: _assignment(p)),
    "tasks:assignment_urge": Row(only(405), lambda p: _assignment(p)),
    "tasks:assignment_comment": Row(only(405), lambda p: _assignment(p)),  # POST only
    "tasks:assignment_acknowledge": Row(only(405), lambda p: _assignment(p)),
    # --- tasks: the branch's side (reviewers read; only branch A's editors act) -------------
    "tasks:todo_list": Row(only(404, office=200, secretary_a=200), branch_a),
    "tasks:assignment_detail": Row(
        only(404, office=200, committee=200, secretary_a=200, regional=200),
        lambda p: _assignment(p),
    ),
    "tasks:assignment_file": Row(
        only(404, office=200, committee=200, secretary_a=200, regional=200),
        lambda p: _assignment_file(p),
    ),
    # --- tasks: reminders (settings, deadline calendar, failed list, urge all) --------------
    "tasks:notification_settings": Row(only(200)),
    "tasks:calendar_regenerate": Row(only(405)),
    # The secret address is the key: anyone holding it reads the feed (a wrong one is a 404).
    "tasks:calendar_feed": Row(only(200, anonymous=200), lambda p: (_calendar_token(p),)),
    "tasks:failed_reminders": Row(only(404, office=200)),
    "tasks:item_urge_all": Row(only(405), lambda p: _item(p)),
    # --- end of the reminder rows -----------------------------------------------------------
    # --- tasks: dashboards, the committee member's view and workbook exports ----------------
    "tasks:dashboard_list": Row(only(404, office=200, committee=200, regional=200)),
    "tasks:notice_dashboard": Row(
        only(404, office=200, regional=200), lambda p: (_published(p).area.notice_id,)
    ),
    "tasks:liaison_dashboard": Row(
        only(404, committee=200), lambda p: (_published(p).area.notice_id,)
    ),
    "tasks:export_request": Row(only(405), lambda p: (_published(p).area.notice_id,)),
    "tasks:export_detail": Row(only(404, office=200, regional=200), lambda p: _export(p)),
    "tasks:export_download": Row(
        only(404, office=200, regional=200), lambda p: _export(p, ready=True)
    ),
    # --- end of the dashboard rows ----------------------------------------------------------
    # --- tasks: the notification centre (everyone logged in, own notifications only) --------
    "tasks:notification_list": Row(only(200)),
    "tasks:notification_read": Row(only(405), lambda p: _notification(p)),
    "tasks:notification_read_all": Row(only(405)),
    # --- surveys/ratings: attachment forms (readers download and print; branch A imports) ---
    "surveys:sheet_export": Row(
        only(404, office=200, committee=200, secretary_a=200, regional=200), lambda p: _sheet(p)
    ),
    "surveys:sheet_print": Row(
        only(404, office=200, committee=200, secretary_a=200, regional=200), lambda p: _sheet(p)
    ),
    "surveys:sheet_template": Row(only(404, secretary_a=200), lambda p: _sheet(p)),
    "surveys:sheet_import": Row(only(404, secretary_a=200), lambda p: _sheet(p)),
    "surveys:sheet_import_confirm": Row(only(405, anonymous=405), lambda p: _sheet(p)),
    "surveys:sheet_carry_forward": Row(only(405, anonymous=405), lambda p: _sheet(p)),
    "surveys:brand_plan_opinion": Row(only(405, anonymous=405), lambda p: _sheet(p)),
    "surveys:concern_list": Row(only(404, office=200)),
    "surveys:concern_answer": Row(only(404, office=200), lambda p: _concern(p)),
    "ratings:indicator_sets": Row(only(404, office=200)),
    "ratings:indicator_set_edit": Row(only(404, office=200), lambda p: _indicator_set(p)),
    "ratings:indicator_set_copy": Row(only(405, anonymous=405), lambda p: _indicator_set(p)),
    # --- end of the attachment-form rows ----------------------------------------------------
    # --- ratings: the yearly rating round (office runs it, committee members rate) ----------
    "ratings:rounds": Row(only(404, office=200)),
    "ratings:round_detail": Row(only(404, office=200), lambda p: _round(p)),
    "ratings:round_close": Row(only(405, anonymous=405), lambda p: _round(p)),
    "ratings:round_publish": Row(only(405, anonymous=405), lambda p: _round(p)),
    "ratings:decide": Row(only(404, office=200), lambda p: (*_round(p), p.tree["branch_a"].pk)),
    "ratings:rate_list": Row(only(404, committee=200)),
    "ratings:rate_branch": Row(
        only(404, committee=200), lambda p: (*_round(p), p.tree["branch_a"].pk)
    ),
    "ratings:results": Row(only(404, office=200, committee=200, regional=200)),
    "ratings:goal_edit": Row(only(404, office=200), lambda p: (p.tree["committee"].pk,)),
    "ratings:results_export": Row(
        only(404, office=200, committee=200, regional=200), lambda p: _round(p, published=True)
    ),
    # --- end of the rating-round rows -------------------------------------------------------
    # --- dues: editors write, the committee's readers read masked, the office reports -------
    "dues:branch_dues": Row(READERS, branch_a),
    "dues:payment_add": Row(only(404, office=200, secretary_a=200), branch_a),
    "dues:bases_template": Row(only(404, office=200, secretary_a=200), branch_a),
    "dues:bases_import": Row(only(404, office=200, secretary_a=200), branch_a),
    "dues:bases_import_confirm": Row(only(405, anonymous=405), branch_a),
    "dues:member_dues": Row(only(404, office=200, secretary_a=200), lambda p: _roster_person(p)),
    "dues:base_set": Row(only(405, anonymous=405), lambda p: _roster_person(p)),
    "dues:payment_cancel": Row(only(405, anonymous=405), lambda p: _payment(p)),
    "dues:office_dues": Row(only(404, office=302)),
    "dues:committee_report": Row(only(404, office=200), lambda p: (p.tree["committee"].pk,)),
    "dues:committee_statement": Row(only(404, office=200), lambda p: (p.tree["committee"].pk,)),
    # --- end of the dues rows ---------------------------------------------------------------
    # --- dossiers: the branch's yearly dossier (its editors, its liaison member, the office) --
    "dossiers:index": Row(only(404, office=200, committee=200, secretary_a=200, secretary_b=200)),
    "dossiers:branch": Row(DOSSIER_READERS, branch_a),
    "dossiers:export_detail": Row(DOSSIER_READERS, lambda p: _dossier_export(p)),
    "dossiers:export_download": Row(DOSSIER_READERS, lambda p: _dossier_export(p, ready=True)),
    # --- end of the dossier rows ------------------------------------------------------------
}


def _notification(p):

    return (Notification.objects.create(user=p.user("office"), title="提醒").pk,)


# --- argument builders of the tasks rows: objects of branch A under the personas' committee ---
def _draft_notice(p):

    return (make_notice(p.tree["committee"]).pk,)


def _notice_with_source(p):

    notice = make_notice(p.tree["committee"])
    notice.source_file.save("工作提示.docx", ContentFile(b"PK\x03\x04"), save=False)
    notice.source_name = "工作提示.docx"
    notice.save()
    return (notice.pk,)


def _area(p):

    return (make_item(make_notice(p.tree["committee"])).area_id,)


def _published(p):

    return published_item(p.tree["committee"])


def _item(p):
    return (_published(p).pk,)


def _item_file(p):

    return (attach_item_file(_published(p)).pk,)


def _notice_attachment(p):

    return (attach_reference(_published(p).area.notice).pk,)


def _payment(p):

    person = member_with_base(p.tree["branch_a"], month=date(2022, 1, 1))
    return (pay(person, date(2022, 9, 1)).pk,)


def _form_attachment(p):

    return (attach_form(_published(p).area.notice).pk,)


def _assignment_obj(p):

    return assignment_of(_published(p), p.tree["branch_a"])


def _assignment(p):
    return (_assignment_obj(p).pk,)


def _assignment_file(p):

    return (attach_file(_assignment_obj(p)).pk,)


def _meeting(p):

    return (make_meeting(p.tree["branch_a"]).pk,)


def _meeting_file(p):

    return (attach_meeting_file(make_meeting(p.tree["branch_a"])).pk,)


# --- argument builders of the dashboard and export rows ---------------------------------------
def _export(p, ready=False):

    export = Export.objects.create(notice=_published(p).area.notice, requested_by=p.user("office"))
    if ready:
        export.file.save("w.xlsx", ContentFile(b"PK"), save=False)
        export.status = ExportStatus.DONE
        export.expires_at = timezone.now() + timedelta(hours=1)
        export.save()
    return (export.pk,)


def _dossier_export(p, ready=False):
    # At most one running build per dossier (a database rule): rows built for several URLs of
    # one test share it, and a ready one is inserted finished.
    subject = {
        "kind": "dossiers.dossier",
        "organisation": p.tree["branch_a"],
        "year": 2022,
        "file_format": "docx",
    }
    if not ready:
        export = Export.objects.filter(**subject, status=ExportStatus.RUNNING).first()
        if export is None:
            export = Export.objects.create(**subject, requested_by=p.user("secretary_a"))
        return (export.pk,)
    export = Export(
        **subject,
        requested_by=p.user("secretary_a"),
        status=ExportStatus.DONE,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    export.file.save("d.docx", ContentFile(b"PK"), save=False)
    export.save()
    return (export.pk,)


# --- argument builders of the attachment-form rows -------------------------------------------
def _sheet(p, kind="rectification"):

    return (form_assignment(p, kind).pk,)


def _concern(p):

    return (submitted_survey(p).rows.get().pk,)


def _indicator_set(p):

    load_default_indicators()
    return (current_set(p.tree["committee"], 2022).pk,)  # the committee's own copy


# --- argument builders of the reminder rows ---------------------------------------------------
def _calendar_token(p):

    return regenerate_calendar_token(p.people["secretary_a"])


# --- argument builders of the branch-life rows ------------------------------------------------
def _development_case(p):

    return (applicant_case(p.tree["branch_a"]).pk,)


def _relation_case(p):

    person = p.people["member"]
    return (
        RelationCase.objects.create(
            person=person,
            branch=p.tree["branch_a"],
            kind=RelationKind.MOBILE,
            opened_on=date(2022, 10, 1),
        ).pk,
    )


def _roster_person(p):

    return (members(p.tree["branch_a"], 1)[0].pk,)


# --- argument builders of the rating-round rows -----------------------------------------------
def _round(p, published=False):

    office = p.user("office")
    # One open round (2022) and one published (2021), reused when asked for again.
    year = 2021 if published else 2022
    existing = RatingRound.objects.filter(committee=p.tree["committee"], year=year).first()
    if existing is not None:
        return (existing.pk,)
    rating_round = services.open_round(p.tree["committee"], year, office)
    if published:
        services.close_round(rating_round.pk, office)
        for entry in rating_round.decisions.all():
            services.decide(rating_round.pk, entry.branch_id, star=3, rationale="", user=office)
        services.publish(rating_round.pk, office)
    return (rating_round.pk,)


def _named_patterns(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.namespace == "admin":
                continue  # Django's admin guards itself; the matrix covers its index only.
            names |= _named_patterns(entry, namespace)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name"
            names.add(prefix + entry.name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    missing = _named_patterns(get_resolver()) - set(MATRIX)
    assert not missing, f"URL patterns missing from the permission matrix: {sorted(missing)}"


def test_matrix_has_no_stale_rows():
    stale = set(MATRIX) - _named_patterns(get_resolver()) - {"admin:index"}
    assert not stale, f"Rows for URL patterns that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_status_per_persona(personas, url_name):
    row = MATRIX[url_name]
    url = reverse(url_name, args=row.args(personas))
    for persona in PERSONAS:
        response = personas.client(persona).get(url)
        assert response.status_code == row.status_for(persona), (
            f"{url_name} as {persona}: {response.status_code}, expected {row.status_for(persona)}"
        )
