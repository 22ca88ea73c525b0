"""The branch's pages: to-do list (query count pinned), fill, save, submit, conflict, late."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ASSIGNMENT_SUBMITTED
from tasks.models import Assignment, AssignmentStatus, local_today
from tests.bounds import docx_bomb, within_bounds
from tests.builders.tasks import PDF_BYTES, assignment_of, form_assignment, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture
def item(personas):
    return published_item(personas.tree["committee"])


def _url(assignment):
    return reverse("tasks:assignment_detail", args=[assignment.pk])


def test_todo_list_sorted_by_deadline_with_badges(personas):
    committee, branch = personas.tree["committee"], personas.tree["branch_a"]
    late = published_item(
        committee, title="已逾期的任务", deadline=local_today() - timedelta(days=3)
    )
    soon = published_item(committee, title="近期任务", deadline=local_today() + timedelta(days=2))
    response = personas.client("secretary_a").get(reverse("tasks:todo_list", args=[branch.pk]))
    assert response.status_code == 200
    rows = list(response.context["assignments"])
    assert [a.item for a in rows] == [late, soon]
    html = response.content.decode()
    assert html.index("已逾期的任务") < html.index("近期任务")
    assert "逾期" in html or "Overdue" in html


@pytest.mark.parametrize("count", [2, 12])
def test_todo_list_query_count_does_not_grow(personas, count, django_assert_num_queries):
    for _ in range(count):
        published_item(personas.tree["committee"])
    client = personas.client("secretary_a")
    url = reverse("tasks:todo_list", args=[personas.tree["branch_a"].pk])
    client.get(url)  # warm the session
    # session, user, scope (person and roles in one query), branch, open rows, done count and rows,
    # and the unread-notification count of the navigation bar: the same number whatever the
    # number of tasks. The session is not written (renewed at most once a minute).
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_branch_page_shows_the_todo_panel(personas, item):
    response = personas.client("secretary_a").get(
        reverse("branches:organisation_detail", args=[personas.tree["branch_a"].pk])
    )
    assert 'id="todo-panel"' in response.content.decode()
    committee_view = personas.client("committee").get(
        reverse("branches:organisation_detail", args=[personas.tree["branch_a"].pk])
    )
    assert 'id="todo-panel"' not in committee_view.content.decode()


def test_save_draft_then_submit_with_a_file(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")
    response = client.post(
        _url(a),
        {
            "version": a.version,
            "report_text": "学习了二十大报告",
            "action": "save",
            "upload": SimpleUploadedFile("学习记录.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DRAFT and a.files.count() == 1
    response = client.post(
        _url(a), {"version": a.version, "report_text": "学习了二十大报告", "action": "submit"}
    )
    a.refresh_from_db()
    assert a.status == AssignmentStatus.SUBMITTED
    # Submitted is read-only for the branch: no form, and a POST changes nothing.
    page = client.get(_url(a))
    assert page.context["form"] is None
    response = client.post(
        _url(a), {"version": a.version, "report_text": "改动", "action": "save"}, follow=True
    )
    a.refresh_from_db()
    assert a.report_text == "学习了二十大报告"


def test_double_submit_gives_a_message_and_one_audit_entry(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")
    data = {"version": a.version, "report_text": "内容", "action": "submit"}
    client.post(_url(a), data, follow=True)
    response = client.post(_url(a), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["This task was already submitted; nothing was changed."]
    assert AuditEntry.objects.filter(action=ACTION_ASSIGNMENT_SUBMITTED).count() == 1


def test_stale_save_is_a_conflict_and_keeps_what_was_typed(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")
    loaded = a.version
    client.post(_url(a), {"version": loaded, "report_text": "先保存的内容", "action": "save"})
    response = client.post(
        _url(a), {"version": loaded, "report_text": "我刚输入的长篇内容", "action": "save"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "我刚输入的长篇内容" in html  # nothing typed is lost
    assert "先保存的内容" in html  # and the saved version is shown to compare
    assert Assignment.objects.get(pk=a.pk).report_text == "先保存的内容"
    # The re-shown form carries the current version: saving again goes through.
    version = response.context["version"]
    client.post(_url(a), {"version": version, "report_text": "合并后", "action": "save"})
    assert Assignment.objects.get(pk=a.pk).report_text == "合并后"


def test_bad_upload_is_refused_and_the_text_kept(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    response = personas.client("secretary_a").post(
        _url(a),
        {
            "version": a.version,
            "report_text": "保留我",
            "action": "save",
            "upload": SimpleUploadedFile("伪装.pdf", b"MZ" + b"\x00" * 64),
        },
    )
    assert response.status_code == 200
    assert "保留我" in response.content.decode()
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.PENDING


def test_zip_bomb_upload_is_refused_quickly_without_inflating_it(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")

    def post():
        data = {"version": a.version, "report_text": "附件", "action": "save"}
        return client.post(
            _url(a), {**data, "upload": SimpleUploadedFile("总结.docx", docx_bomb())}
        )

    response = within_bounds(post)
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert not Assignment.objects.get(pk=a.pk).files.exists()


def test_missing_version_saves_nothing(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    response = personas.client("secretary_a").post(_url(a), {"report_text": "x", "action": "save"})
    assert response.status_code == 200
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.PENDING


def test_empty_submit_shows_why(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    response = personas.client("secretary_a").post(
        _url(a), {"version": a.version, "report_text": "", "action": "submit"}
    )
    assert response.status_code == 200
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.PENDING


def test_late_submission_is_accepted_and_marked(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=1))
    a = assignment_of(item, personas.tree["branch_a"])
    client = personas.client("secretary_a")
    response = client.post(
        _url(a), {"version": a.version, "report_text": "迟交", "action": "submit"}, follow=True
    )
    assert Assignment.objects.late().filter(pk=a.pk).exists()
    assert response.status_code == 200


def test_returned_shows_the_comment_and_can_be_resubmitted(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    Assignment.objects.filter(pk=a.pk).update(
        status=AssignmentStatus.RETURNED, review_comment="请补充会议照片", report_text="初稿"
    )
    client = personas.client("secretary_a")
    page = client.get(_url(a))
    assert "请补充会议照片" in page.content.decode() and page.context["form"] is not None
    client.post(_url(a), {"version": a.version, "report_text": "补充稿", "action": "submit"})
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.SUBMITTED


def test_other_branch_cannot_post(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    response = personas.client("secretary_b").post(
        _url(a), {"version": a.version, "report_text": "x", "action": "save"}
    )
    assert response.status_code == 404


def test_office_sees_no_edit_form(personas, item):
    a = assignment_of(item, personas.tree["branch_a"])
    response = personas.client("office").post(
        _url(a), {"version": a.version, "report_text": "x", "action": "save"}
    )
    assert response.status_code == 404
    assert Assignment.objects.get(pk=a.pk).status == AssignmentStatus.PENDING


class _UntypedInputs(HTMLParser):
    """What a browser posts back when nothing is typed: hidden inputs and each select's
    selected (or first) option."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values[found["name"]] = found.get("value") or ""
        elif tag == "select":
            self._select = found.get("name")
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in found:
                self.values[self._select] = found.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _untyped_inputs(response) -> dict[str, str]:
    parser = _UntypedInputs()
    parser.feed(response.content.decode())
    return parser.values


@pytest.mark.parametrize("kind", ["rectification", "service_survey"])
def test_refused_submit_of_a_blank_sheet_leaves_the_form_usable(personas, kind):
    a = form_assignment(personas, kind)
    client = personas.client("secretary_a")
    page = client.get(_url(a))
    blank = {**_untyped_inputs(page), "h-notes": "", "action": "submit"}
    refused = client.post(_url(a), blank, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200  # refused: no row yet, nothing saved
    assert "Add at least one row" in str(list(refused.context["messages"])[0])
    row = {
        "rectification": {
            "problem": "会议记录不规范",
            "measures": "统一记录",
            "owner": "张三",
            "source": "self_check",
            "term": "deadline",
            "status": "not_started",
            "deadline": "2022-10-31",
        },
        "service_survey": {
            "date": "2022-10-20",
            "method": "talk",
            "concern": "实验室夜间照明不足",
            "category": "research",
            "solver": "branch",
        },
    }[kind]
    form = refused.context["form"]
    posted = {**_untyped_inputs(refused), "h-notes": "", "action": "save"}
    # "Add row" copies the page's row template (prefix __prefix__) as the next row.
    template = {k: v for k, v in posted.items() if k.startswith("rows-__prefix__-")}
    posted.update({k.replace("__prefix__", "1"): v for k, v in template.items()})
    posted["rows-TOTAL_FORMS"] = "2"
    for name in form.kind.row_fields:
        posted[f"rows-1-{name}"] = row.get(name, "")
    saved = client.post(_url(a), posted)
    assert saved.status_code == 302, saved.context["form"].errors
    assert form.kind.get_sheet(Assignment.objects.get(pk=a.pk)) is not None
