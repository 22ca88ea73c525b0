"""Isolation proven by writing: every URL that accepts a POST, sent by someone whose scope does
not hold the object, answers 404 (or, where the object is named in the body, refuses the form)
and changes nothing in the database. The same POST sent by the object's own editor then does
change it, so the data was good and only access control refused it.

A URL missing from the tables below fails the build (the permission matrix's URL list), as does
a page listed as read-only whose POST does more than its GET.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from tests import write_targets as t
from tests.tasks.test_views_liaison import submitted_self_check
from tests.test_permission_matrix import LOGGED_IN, MATRIX, _named_patterns


def _none(p, where, args):
    return {}


def const(data: dict) -> Callable:
    return lambda p, where, args: dict(data)


def at(builder: Callable) -> Callable:
    """Data that depends on where the object lives."""
    return lambda p, where, args: builder(p, where)


def of(builder: Callable) -> Callable:
    """Data that depends on the object itself (its URL arguments)."""
    return lambda p, where, args: builder(p, args)


@dataclass(frozen=True)
class Write:
    intruder: str  # the persona whose POST must be refused
    where: str  # where the object lives (a key of the personas' tree)
    target: Callable  # (personas, where) -> the URL's arguments
    data: Callable = _none  # (personas, where, args) -> the POST data
    owner: str | None = None  # who may send the same POST; None: nobody, by rule
    expect: int = 404  # 200: the foreign object is named in the body and the form refuses it
    owner_writes: bool = True  # the owner's POST changes the database


def _no_args(p, where):
    return ()


def _bulk_ids(p, where):
    return {"ids": list(t.submitted_assignment(p, where))}


def across_branches(target, data=_none, *, owner_writes=True, readers=True) -> list[Write]:
    """A branch's editors and its committee's office write; the other branch's secretary, the
    other committee's office and the branch's readers do not."""
    cases = [
        Write("secretary_a", "branch_b", target, data, "secretary_b", owner_writes=owner_writes),
        Write("secretary_c", "branch_a", target, data, "secretary_a", owner_writes=owner_writes),
        Write("office", "other_branch", target, data, "office_2", owner_writes=owner_writes),
        Write("office_2", "branch_a", target, data, "office", owner_writes=owner_writes),
    ]
    if readers:
        # A committee member and a regional viewer read branch A's records but write none.
        cases += [
            Write("committee", "branch_a", target, data, "secretary_a", owner_writes=owner_writes),
            Write("regional", "branch_a", target, data, "secretary_a", owner_writes=owner_writes),
        ]
    return cases


def across_committees(target, data=_none, *, where=("committee", "other_committee"), **kw):
    """Only the committee's own office writes: not the other committee's, not a secretary."""
    mine, theirs = where
    return [
        Write("office", theirs, target, data, "office_2", **kw),
        Write("office_2", mine, target, data, "office", **kw),
        Write("secretary_a", mine, target, data, "office", **kw),
    ]


def _self_check(p, where):

    return (submitted_self_check(p.tree[where]).pk,)


WRITES: dict[str, list[Write]] = {
    # --- branches: the office's security pages ---------------------------------------------
    "branches:office_unlock": [
        Write("office_2", "branch_a", t.lockout, owner="office"),
        Write("office", "other_branch", t.lockout, owner="office_2"),
    ],
    "branches:office_unlock_address": [
        Write("secretary_a", "branch_a", t.locked_address, owner="office"),
        Write("committee", "branch_a", t.locked_address, owner="office"),
    ],
    # --- branches: meeting records -----------------------------------------------------------
    "branches:branch_meeting_create": across_branches(t.org, const(t.MEETING_DATA)),
    "branches:branch_meeting_edit": across_branches(t.meeting, const(t.MEETING_DATA)),
    "branches:branch_meeting_resolution_add": across_branches(
        t.voting_meeting,
        const({"text": "接收预备党员", "votes_for": 3, "votes_against": 0, "votes_abstain": 0}),
    ),
    "branches:branch_meeting_follow_up_add": across_branches(
        t.meeting,
        lambda p, w, a: {"task": "整改落实", "owner": "组织委员", "deadline": t.today_plus(60)},
    ),
    # --- branches: member development ------------------------------------------------------
    "branches:branch_development_case_create": across_branches(
        t.org, const({"name": "申请人乙", "birth_date": "1998-05-01", "date": "2022-03-01"})
    ),
    "branches:branch_development_case": across_branches(
        t.development_case, const({"date": "2020-03-10", "actor": "支部书记"})
    ),
    "branches:branch_development_case_extend": across_branches(
        t.probation_case, const({"extend-months": "6", "extend-decided_on": "2022-12-01"})
    ),
    "branches:branch_development_case_stop": across_branches(
        t.development_case, const({"stop-reason": "本人申请", "stop-stopped_on": "2022-10-01"})
    ),
    # --- branches: membership-relation cases -----------------------------------------------
    "branches:branch_relation_case_create": across_branches(t.org, at(t.relation_case_data)),
    "branches:branch_relation_case_edit": across_branches(
        t.relation_case, const({"kind": "mobile", "opened_on": "2022-09-01", "note": "改"})
    ),
    "branches:branch_relation_attempt_add": across_branches(
        t.relation_case,
        const({"day": "2022-10-01", "method": "电话", "result": "接通", "reached": "on"}),
    ),
    # --- branches: the roster --------------------------------------------------------------
    "branches:branch_person_add": across_branches(
        t.org, const({"name": "新党员", "member_type": "full", "phone": ""})
    ),
    "branches:branch_person_edit": across_branches(
        t.person, const({"name": "改名党员", "member_type": "full", "phone": ""})
    ),
    "branches:branch_person_move": across_branches(t.person, at(t.move_data)),
    "branches:branch_person_status": across_branches(t.person, const({"status": "deceased"})),
    "branches:branch_roster_import": [
        Write("office", "other_branch", t.org, at(t.roster_file), "office_2", owner_writes=False),
        Write("office_2", "branch_a", t.org, at(t.roster_file), "office", owner_writes=False),
        Write("secretary_a", "branch_a", t.org, at(t.roster_file), "office", owner_writes=False),
    ],
    # Nothing is staged for the owner here: he is sent back to upload (no 404, no change).
    "branches:branch_roster_import_confirm": [
        Write("office", "other_branch", t.org, owner="office_2", owner_writes=False),
        Write("office_2", "branch_a", t.org, owner="office", owner_writes=False),
    ],
    # --- tasks: the office composes, publishes, reviews --------------------------------------
    # The notice's committee is named in the body: another committee's is not a choice.
    "tasks:notice_create": [
        Write("office", "other_committee", lambda p, w: (), at(t.notice_data), "office_2", 200),
        Write("office_2", "committee", lambda p, w: (), at(t.notice_data), "office", 200),
    ],
    # The upload names no committee and saves nothing (it waits in the uploader's session).
    "tasks:notice_import": [
        Write(
            "secretary_a", "committee", _no_args, at(t.notice_docx), "office", owner_writes=False
        ),
        Write("committee", "committee", _no_args, at(t.notice_docx), "office", owner_writes=False),
    ],
    # A token not held by the sender's session: the office is sent back to upload, the others
    # are not the office (404); nothing is saved (saving is tested in its own module).
    "tasks:notice_import_preview": [
        Write("secretary_a", "committee", t.pending_token, owner="office", owner_writes=False),
        Write("office_2", "committee", t.pending_token, expect=302),
    ],
    "tasks:notice_attachment_upload": across_committees(
        t.reference_attachment, at(t.reference_file)
    ),
    "tasks:notice_edit": across_committees(t.draft_notice, at(t.notice_edit_data)),
    "tasks:notice_publish": across_committees(t.draft_notice),
    "tasks:area_create": across_committees(t.draft_notice, const({"number": 5, "title": "新"})),
    "tasks:area_edit": across_committees(t.area, const({"number": 1, "title": "改过的领域"})),
    "tasks:item_create": across_committees(t.draft_notice, of(t.item_create_data)),
    "tasks:item_edit": across_committees(t.draft_item, of(t.item_edit_data)),
    "tasks:item_withdraw": across_committees(t.item),
    "tasks:notice_copy": across_committees(t.published_notice),
    "tasks:area_delete": across_committees(t.area),
    "tasks:item_delete": across_committees(t.draft_item),
    "tasks:item_urge_all": across_committees(t.item),
    "tasks:export_request": across_committees(t.published_notice),
    "tasks:assignment_review": across_committees(
        t.submitted_assignment, const({"action": "approve"}), where=("branch_a", "other_branch")
    )
    + [Write("committee", "branch_a", t.submitted_assignment, const({"action": "approve"}))],
    # The ids are in the body: another committee's office is sent back to its list with the
    # id counted as refused (302), a secretary is not the office (404); nothing changes.
    "tasks:review_bulk_approve": [
        Write("office", "other_branch", _no_args, at(_bulk_ids), "office_2", expect=302),
        Write("office_2", "branch_a", _no_args, at(_bulk_ids), "office", expect=302),
        Write("secretary_a", "branch_a", _no_args, at(_bulk_ids), "office"),
    ],
    "tasks:assignment_extend": across_committees(
        t.assignment,
        lambda p, w, a: {"until": t.today_plus(30), "reason": "出差"},
        where=("branch_a", "other_branch"),
    ),
    "tasks:assignment_urge": across_committees(t.assignment, where=("branch_a", "other_branch")),
    # Both sides of the conversation write; the other branch, the other committee's office
    # and the readers (committee member, regional viewer) do not.
    "tasks:assignment_comment": across_branches(t.assignment, const({"body": "请看一下"})),
    # Branch A's liaison committee member acknowledges its self-check; nobody else does.
    "tasks:assignment_acknowledge": [
        Write("office", "branch_a", _self_check, owner="committee"),
        Write("secretary_a", "branch_a", _self_check, owner="committee"),
        Write("committee", "branch_b", _self_check),
    ],
    # --- tasks: the branch fills its assignment ---------------------------------------------
    "tasks:assignment_detail": [
        Write("secretary_a", "branch_b", t.assignment, of(t.report_data), "secretary_b"),
        Write("secretary_c", "branch_a", t.assignment, of(t.report_data), "secretary_a"),
        Write("secretary_a", "other_branch", t.assignment, of(t.report_data), "secretary_c"),
        Write("committee", "branch_a", t.assignment, of(t.report_data), "secretary_a"),
        Write("office_2", "branch_a", t.assignment, of(t.report_data), "secretary_a"),
    ],
    # Someone else's notification is not there to be marked read.
    "tasks:notification_read": [
        Write("office_2", "office", t.notification, owner="office"),
        Write("secretary_a", "secretary_b", t.notification, owner="secretary_b"),
    ],
    # --- surveys: attachment forms and the office's answers ----------------------------------
    "surveys:sheet_import": [
        Write(
            "secretary_a",
            "branch_b",
            t.rectification_assignment,
            of(t.rectification_file),
            "secretary_b",
            owner_writes=False,
        ),
        Write(
            "secretary_c",
            "branch_a",
            t.rectification_assignment,
            of(t.rectification_file),
            "secretary_a",
            owner_writes=False,
        ),
        Write(
            "committee",
            "branch_a",
            t.rectification_assignment,
            of(t.rectification_file),
            "secretary_a",
            owner_writes=False,
        ),
    ],
    "surveys:sheet_import_confirm": [
        Write(
            "secretary_a",
            "branch_b",
            t.rectification_assignment,
            owner="secretary_b",
            owner_writes=False,
        ),
        Write(
            "secretary_c",
            "branch_a",
            t.rectification_assignment,
            owner="secretary_a",
            owner_writes=False,
        ),
    ],
    "surveys:sheet_carry_forward": [
        Write("secretary_a", "branch_b", t.rectification_assignment, owner="secretary_b"),
        Write("secretary_c", "branch_a", t.rectification_assignment, owner="secretary_a"),
        Write("committee", "branch_a", t.rectification_assignment, owner="secretary_a"),
    ],
    "surveys:concern_answer": [
        Write("office_2", "branch_a", t.concern, const(t.CONCERN_ANSWER), "office"),
        Write("office", "other_branch", t.concern, const(t.CONCERN_ANSWER), "office_2"),
        Write("secretary_a", "branch_a", t.concern, const(t.CONCERN_ANSWER), "office"),
    ],
    "surveys:brand_plan_opinion": [
        Write("office_2", "branch_a", t.brand_plan, const(t.COMMITTEE_OPINION), "office"),
        Write("office", "other_branch", t.brand_plan, const(t.COMMITTEE_OPINION), "office_2"),
        Write("secretary_a", "branch_a", t.brand_plan, const(t.COMMITTEE_OPINION), "office"),
        Write("committee", "branch_a", t.brand_plan, const(t.COMMITTEE_OPINION), "office"),
    ],
    # --- ratings: indicator sets and the rating round --------------------------------------
    "ratings:indicator_set_edit": across_committees(t.indicator_set, of(t.indicator_set_data)),
    "ratings:indicator_set_copy": across_committees(t.indicator_set, const({"year": "2030"})),
    # The round's committee is named in the body: another committee's is not a choice.
    "ratings:rounds": [
        Write("office", "other_committee", lambda p, w: (), at(t.round_data), "office_2", 200),
        Write("office_2", "committee", lambda p, w: (), at(t.round_data), "office", 200),
    ],
    "ratings:goal_edit": across_committees(t.committee_pk, const({"star": "4", "year": "2024"})),
    "ratings:round_close": across_committees(t.round_open),
    "ratings:round_publish": across_committees(t.round_decided),
    "ratings:decide": across_committees(
        lambda p, w: t.round_branch(p, w, closed=True),
        const({"star": "4", "rationale": "综合评定"}),
        where=("branch_a", "other_branch"),
    ),
    # --- dues: the branch's editors and its committee's office ------------------------------
    "dues:payment_add": across_branches(t.org, at(t.dues_payment_data)),
    "dues:base_set": across_branches(t.person, const(t.DUES_BASE_DATA)),
    "dues:payment_cancel": across_branches(t.dues_payment, const(t.DUES_CANCEL_DATA)),
    "dues:bases_import": across_branches(t.org, at(t.dues_bases_file), owner_writes=False),
    # Nothing is staged for the owner here: he is sent back to upload (no 404, no change).
    "dues:bases_import_confirm": across_branches(t.org, owner_writes=False),
    "ratings:rate_branch": [
        Write("committee_2", "branch_a", t.round_branch, const({"star": "4"}), "committee"),
        Write("committee", "other_branch", t.round_branch, const({"star": "4"}), "committee_2"),
        Write("office", "branch_a", t.round_branch, const({"star": "4"}), "committee"),
        # A member does not rate the branch he belongs to himself.
        Write("committee", "branch_b", t.round_branch, const({"star": "4"})),
    ],
    # --- dossiers: asking for a branch's yearly dossier ------------------------------------
    "dossiers:branch": [
        Write("secretary_a", "branch_b", t.org, t.dossier_data, "secretary_b"),
        Write("office", "other_branch", t.org, t.dossier_data, "office_2"),
        Write("office_2", "branch_a", t.org, t.dossier_data, "office"),
        # Committee members and regional viewers read the branch, but only its liaison member
        # asks for its dossier.
        Write("committee", "branch_b", t.org, t.dossier_data, "secretary_b"),
        Write("regional", "branch_a", t.org, t.dossier_data, "committee"),
    ],
}

#: URLs that take a POST but act only on the user's own login, session or settings: there is
#: no object of anyone else to name.
OWN_ONLY = {
    "login": "logs the sender in",
    "logout": "ends the sender's session",
    "password_change": "the sender's password",
    "two_factor_verify": "the sender's own device",
    "two_factor_setup": "the sender's own device",
    "two_factor_recovery_codes": "the sender's own recovery codes",
    "set_language": "the sender's session",
    "tasks:notification_read_all": "the sender's notifications",
    "tasks:notification_settings": "the sender's settings",
    "tasks:calendar_regenerate": "the sender's calendar address",
}

#: Pages that only show or download: a POST must do nothing their GET does not.
READ_ONLY = {
    "healthz",
    "password_change_done",
    "branches:home",
    "branches:office_overview",
    "branches:liaison_branches",
    "branches:region_tree",
    "branches:region_subtree",
    "branches:organisation_detail",
    "branches:my_profile",
    "branches:office_audit_log",
    "branches:office_lockouts",
    "branches:branch_meetings",
    "branches:branch_meeting_file",
    "branches:branch_meeting_detail",
    "branches:branch_meeting_calendar",
    "branches:branch_meeting_export",
    "branches:branch_compliance",
    "branches:branch_development",
    "branches:office_development",
    "branches:branch_relations",
    "branches:branch_relation_case",
    "branches:office_relations",
    "branches:branch_roster",
    "branches:branch_roster_template",
    "tasks:notice_list",
    "tasks:notice_detail",
    "tasks:item_file",
    "tasks:notice_attachment",
    "tasks:notice_attachment_template",
    "tasks:notice_source",
    "tasks:review_list",
    "tasks:todo_list",
    "tasks:assignment_file",
    "tasks:calendar_feed",
    "tasks:failed_reminders",
    "tasks:dashboard_list",
    "tasks:notice_dashboard",
    "tasks:liaison_dashboard",
    "tasks:export_detail",
    "tasks:export_download",
    "tasks:notification_list",
    "surveys:sheet_export",
    "surveys:sheet_print",
    "surveys:sheet_template",
    "surveys:concern_list",
    "ratings:indicator_sets",
    "ratings:round_detail",
    "ratings:rate_list",
    "ratings:results",
    "ratings:results_export",
    "dues:branch_dues",
    "dues:bases_template",
    "dues:member_dues",
    "dues:office_dues",
    "dues:committee_report",
    "dues:committee_statement",
    "dossiers:index",
    "dossiers:export_detail",
    "dossiers:export_download",
}


def test_every_url_is_classified():
    """A new URL fails here until it is a row of WRITES, OWN_ONLY or READ_ONLY."""
    names = _named_patterns(get_resolver())
    listed = [*WRITES, *OWN_ONLY, *READ_ONLY]
    assert len(listed) == len(set(listed)), "a URL is listed twice"
    missing = names - set(listed)
    assert not missing, f"URL patterns missing from the write-isolation tables: {sorted(missing)}"
    stale = set(listed) - names
    assert not stale, f"Rows for URL patterns that no longer exist: {sorted(stale)}"


CASES = [
    pytest.param(name, index, id=f"{name}-{case.intruder}-{case.where}")
    for name, cases in WRITES.items()
    for index, case in enumerate(cases)
]


def _rewind(data: dict) -> dict:
    """Uploaded files are read by each POST: send them again from their start."""
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return data


@pytest.mark.parametrize(("url_name", "index"), CASES)
def test_a_write_outside_the_scope_is_refused_and_changes_nothing(
    second_committee, url_name, index
):
    p = second_committee
    case = WRITES[url_name][index]
    args = case.target(p, case.where)
    url = reverse(url_name, args=args)
    data = case.data(p, case.where, args)
    intruder = p.client(case.intruder)
    owner = p.client(case.owner) if case.owner else None
    before, refused_before = t.snapshot(), t.refusals()
    response = intruder.post(url, _rewind(data))
    assert response.status_code == case.expect, (
        f"{url_name} as {case.intruder} on {case.where}: {response.status_code}"
    )
    if case.expect == 404:
        assert t.refusals() == refused_before + 1  # the refusal is in the audit log
    assert t.changed_tables(before, t.snapshot()) == [], (
        f"{url_name} as {case.intruder} on {case.where} changed the database"
    )
    if owner is None:
        return
    response = owner.post(url, _rewind(data))
    assert response.status_code in (200, 302), (
        f"{url_name}: the owner {case.owner} got {response.status_code}"
    )
    if case.owner_writes:
        assert t.changed_tables(before, t.snapshot()), (
            f"{url_name}: the owner's POST changed nothing, so the data proves nothing"
        )


@pytest.mark.parametrize("url_name", sorted(READ_ONLY))
def test_a_read_only_page_does_nothing_more_on_post(second_committee, url_name):
    p = second_committee
    row = MATRIX[url_name]
    url = reverse(url_name, args=row.args(p))
    # Everyone the view serves (a redirecting page such as the home page included).
    readers = {name: p.client(name) for name in LOGGED_IN if row.status_for(name) in (200, 302)}
    assert readers, f"{url_name}: nobody reaches it, so it cannot be shown read-only"
    for name, client in readers.items():
        before = t.snapshot()
        client.get(url)  # a page may create what it shows the first time (e.g. a set to edit)
        after_get = t.snapshot()
        by_get = set(t.changed_tables(before, after_get))
        client.post(url, {"title": "x", "status": "approved", "year": "2030", "star": "5"})
        by_post = set(t.changed_tables(after_get, t.snapshot()))
        assert by_post <= by_get, f"{url_name}: a POST as {name} changed {sorted(by_post)}"
