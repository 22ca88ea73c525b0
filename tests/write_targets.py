"""Objects to write to and POST data for the write-isolation test (tests/test_write_isolation.py).

Every builder takes the personas and where the object lives: a branch key of the personas' tree
("branch_a", "branch_b", "other_branch") or a committee key ("committee", "other_committee").
The data is what the object's own editors would send, so that only access control can refuse
it; the test proves this by sending the same data as the owner afterwards.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from branches.exporters import RosterExporter
from branches.models import Organisation, Person, RelationCase, RelationKind
from portal.audit_actions import ACTION_ACCESS_REFUSED
from portal.models import AuditEntry
from portal.xlsx import write_xlsx
from ratings import services as rating_services
from ratings.indicator_sets import current_set, load_default_indicators
from ratings.models import IndicatorSet, RatingRound
from surveys.models import Concern, RectificationList, ServiceSurvey
from tasks.kinds import get_kind
from tasks.models import (
    Assignment,
    AssignmentStatus,
    NoticeAttachment,
    Notification,
    TaskArea,
    TaskItem,
    local_today,
)
from tests.builders.branch_life import applicant_case, case_up_to, meeting_with_attendance, members
from tests.builders.dues import bases_file, member_with_base, pay
from tests.builders.notice_import import small_notice_docx
from tests.builders.surveys import concern_values, filled_rectification, submitted_brand_plan
from tests.builders.tasks import (
    PDF_BYTES,
    assignment_of,
    form_assignment,
    make_item,
    make_meeting,
    make_notice,
    published_item,
)

#: The apps whose tables must not change when a write is refused (axes: the lockouts).
SNAPSHOT_APPS = {"auth", "axes", "branches", "tasks", "surveys", "ratings", "portal", "dues"}

REFUSED_ACTION = ACTION_ACCESS_REFUSED

COMMITTEE_OF = {
    "branch_a": "committee",
    "branch_b": "committee",
    "other_branch": "other_committee",
    "other_branch_b": "other_committee",
    "committee": "committee",
    "other_committee": "other_committee",
}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of our apps (and logins and lockouts), in primary-key order.

    The audit entry that records a refused access is the one row a refusal adds: left out here,
    counted by the test instead."""
    return {
        model._meta.label: list(_rows(model).order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in SNAPSHOT_APPS
    }


def _rows(model):
    rows = model._base_manager.all()
    if model is AuditEntry:
        rows = rows.exclude(action=REFUSED_ACTION)
    return rows


def refusals() -> int:
    return AuditEntry.objects.filter(action=REFUSED_ACTION).count()


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def _branch(p, where) -> Organisation:
    return p.tree[where]


def _committee(p, where) -> Organisation:
    return p.tree[COMMITTEE_OF[where]]


# --- branch life ---------------------------------------------------------------------------
def org(p, where):
    return (p.tree[where].pk,)


def dossier_data(p, where, args):
    """A dossier of this year in Word (this year is always offered)."""
    return {"year": str(local_today().year), "file_format": "docx"}


def meeting(p, where):
    return (make_meeting(_branch(p, where)).pk,)


def voting_meeting(p, where):
    return (meeting_with_attendance(_branch(p, where), present=3, absent=0).pk,)


def development_case(p, where):
    return (applicant_case(_branch(p, where)).pk,)


def probation_case(p, where):
    return (case_up_to(_branch(p, where), "approval").pk,)


def relation_case(p, where):
    branch = _branch(p, where)
    case = RelationCase.objects.create(
        person=members(branch, 1)[0],
        branch=branch,
        kind=RelationKind.MOBILE,
        opened_on=date(2022, 10, 1),
    )
    return (case.pk,)


def person(p, where):
    return (members(_branch(p, where), 1)[0].pk,)


def lockout(p, where):
    """The locked login of the branch's secretary."""
    secretary = {
        "branch_a": "secretary_a",
        "branch_b": "secretary_b",
        "other_branch": "secretary_c",
    }
    username = p.user(secretary[where]).username
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="10.9.9.9",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    return (attempt.pk,)


def locked_address(p, where):
    """An IP address locked across user names (no committee owns an address: any office lifts
    it, nobody else)."""
    AccessAttempt.objects.create(
        username="guessed-name",
        ip_address="10.8.8.8",
        user_agent="test",
        failures_since_start=settings.LOGIN_IP_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    return ("10.8.8.8",)


MEETING_DATA = {
    "meeting_type": "committee_meeting",
    "theme": "研究发展党员工作",
    "date": "2022-10-20",
    "due_count": 5,
    "present_count": 5,
}


def relation_case_data(p, where):
    branch = Organisation.objects.get(pk=p.tree[where].pk)
    return {"person": members(branch, 1)[0].pk, "kind": "mobile", "opened_on": "2022-10-01"}


def move_data(p, where):
    destination = "branch_a" if where == "branch_b" else "branch_b"
    if COMMITTEE_OF[where] == "other_committee":
        destination = "other_branch_b" if where == "other_branch" else "other_branch"
    return {"branch": p.tree[destination].pk, "day": "2022-10-20", "letter_number": "7"}


def roster_file(p, where):
    handle = io.BytesIO(write_xlsx(RosterExporter([Person(name="导入甲", member_type="full")])))
    handle.name = "roster.xlsx"
    return {"file": handle}


# --- dues ----------------------------------------------------------------------------------
def dues_payment(p, where):
    """A payment recorded for a member of the branch."""
    person = member_with_base(_branch(p, where), month=date(2022, 1, 1))
    return (pay(person, date(2022, 9, 1)).pk,)


DUES_CANCEL_DATA = {"reason": "录入有误"}


def dues_payment_data(p, where):
    return {
        "person": members(_branch(p, where), 1)[0].pk,
        "first_month": "2022-09",
        "months": "3",
        "amount": "120.00",
        "extra": "0",
        "paid_on": "2022-10-08",
        "method": "transfer",
    }


DUES_BASE_DATA = {"month": "2022-01", "category": "in_service", "amount": "4500"}


def dues_bases_file(p, where):
    person = members(_branch(p, where), 1)[0]
    return {"file": bases_file([(person.name, None, "in_service", "4500", date(2022, 1, 1))])}


# --- tasks ---------------------------------------------------------------------------------
def draft_notice(p, where):
    notice = make_notice(_committee(p, where))
    make_item(notice)
    return (notice.pk,)


def area(p, where):
    return (make_item(make_notice(_committee(p, where))).area_id,)


def draft_item(p, where):
    return (make_item(make_notice(_committee(p, where))).pk,)


def item(p, where):
    return (published_item(_committee(p, where)).pk,)


def published_notice(p, where):
    return (published_item(_committee(p, where)).area.notice_id,)


def assignment(p, where):
    found = assignment_of(published_item(_committee(p, where)), _branch(p, where))
    return (found.pk,)


def submitted_assignment(p, where):
    (pk,) = assignment(p, where)
    Assignment.objects.filter(pk=pk).update(status=AssignmentStatus.SUBMITTED, report_text="完成")
    return (pk,)


def notification(p, whose):
    return (Notification.objects.create(user=p.user(whose), title="提醒").pk,)


def notice_data(p, where):
    return {
        "committee": _committee(p, where).pk,
        "year": 2031,
        "issue_number": 1,
        "date": "2031-01-05",
        "title": "党支部工作提示",
        "introduction": "",
    }


def notice_docx(p, where):
    return {"document": SimpleUploadedFile("工作提示.docx", small_notice_docx())}


def reference_attachment(p, where):
    notice = make_notice(_committee(p, where))
    attachment = NoticeAttachment.objects.create(
        notice=notice, number=5, title="规范组织关系的通知"
    )
    return (attachment.pk,)


def reference_file(p, where):
    return {"file": SimpleUploadedFile("关于规范组织关系的通知.pdf", PDF_BYTES)}


def pending_token(p, where):
    return ("not-in-this-session",)


def notice_edit_data(p, where):
    return {**notice_data(p, where), "year": 2022, "issue_number": 901, "title": "改过的标题"}


def item_data(p, where, *, area_pk=None):
    return {
        "area": area_pk,
        "label": "9",
        "title": "上报学习情况",
        "deadline": (local_today() + timedelta(days=20)).isoformat(),
        "scope": "in_service",
        "kind": "report",
        "instructions": "至少一次",
    }


def item_create_data(p, args):
    area_pk = TaskArea.objects.filter(notice_id=args[0]).values_list("pk", flat=True).first()
    return item_data(p, None, area_pk=area_pk)


def item_edit_data(p, args):
    found = TaskItem.objects.get(pk=args[0])
    return {**item_data(p, None, area_pk=found.area_id), "title": "改过的任务"}


def report_data(p, args):
    found = Assignment.objects.get(pk=args[0])
    return {"version": found.version, "report_text": "别人写进来的", "action": "save"}


# --- attachment forms ----------------------------------------------------------------------
def rectification_assignment(p, where):
    return (form_assignment(p, "rectification", branch=where).pk,)


def rectification_file(p, args):
    source = form_assignment(p, "rectification", branch="branch_a", title="来源表")
    if not RectificationList.objects.filter(assignment=source).exists():
        filled_rectification(source, 2)
    handle = io.BytesIO(write_xlsx(get_kind("rectification").exporter(source)))
    handle.name = "整改清单.xlsx"
    return {"file": handle}


def concern(p, where):
    """A concern of the branch's service survey, handed in, that needs the institute."""
    found = assignment_of(
        published_item(_committee(p, where), kind="service_survey"), _branch(p, where)
    )
    sheet = ServiceSurvey.objects.create(assignment=found)
    row = Concern.objects.create(sheet=sheet, position=1, **concern_values())
    now = timezone.now()
    Assignment.objects.filter(pk=found.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=now, first_submitted_at=now
    )
    return (row.pk,)


def brand_plan(p, where):
    """A brand plan handed in by the branch, waiting for the committee's opinion."""
    found = assignment_of(
        published_item(_committee(p, where), kind="brand_plan"), _branch(p, where)
    )
    return (submitted_brand_plan(found).assignment_id,)


COMMITTEE_OPINION = {"committee_opinion": "同意该品牌创建计划"}

CONCERN_ANSWER = {
    "office_department": "党委办公室",
    "office_result": "已协调解决",
    "office_told_on": "2022-11-20",
    "office_told_channel": "支部大会",
}


# --- ratings -------------------------------------------------------------------------------
def indicator_set(p, where):
    load_default_indicators()
    return (current_set(_committee(p, where), 2022).pk,)


def committee_pk(p, where):
    return (_committee(p, where).pk,)


def indicator_set_data(p, args):
    found = IndicatorSet.objects.get(pk=args[0])
    indicators = list(found.indicators.all())
    data = {
        "set-title": "改过的指标",
        "set-is_placeholder": "",
        "ind-TOTAL_FORMS": str(len(indicators)),
        "ind-INITIAL_FORMS": str(len(indicators)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, ind in enumerate(indicators):
        data[f"ind-{i}-id"] = str(ind.pk)
        data[f"ind-{i}-dimension"] = ind.dimension
        data[f"ind-{i}-text"] = f"改过的{ind.text}"
    return data


def open_round(p, where) -> RatingRound:
    return rating_services.open_round(_committee(p, where), 2022, None)


def round_open(p, where):
    return (open_round(p, where).pk,)


def round_closed(p, where):
    rating_round = open_round(p, where)
    rating_services.close_round(rating_round.pk, None)
    return (rating_round.pk,)


def round_decided(p, where):
    (pk,) = round_closed(p, where)
    for entry in RatingRound.objects.get(pk=pk).decisions.all():
        rating_services.decide(pk, entry.branch_id, star=3, rationale="", user=None)
    return (pk,)


def round_branch(p, where, *, closed=False):
    (pk,) = round_closed(p, where) if closed else round_open(p, where)
    return (pk, _branch(p, where).pk)


def round_data(p, where):
    return {"committee": _committee(p, where).pk, "year": 2022}


def today_plus(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()
