"""``manage.py build_regional_data`` at its small size: the shape the benchmarks rely on, and
logins that reach the pages they time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from branches.models import MeetingRecord, Organisation, OrgKind, Person, Role, RoleKind
from portal.regional_data import (
    BIG_COMMITTEE_NAME,
    DASHBOARD_ISSUE,
    PASSWORD,
    SMALL,
    WORKBOOK_ISSUE,
)
from ratings.models import RatingRound, RoundStatus, StarDecision, StarSelfAssessment
from surveys.models import BrandPlan, RectificationList, ServiceSurvey
from tasks.models import Assignment, AssignmentStatus, Notice, TaskItem
from tasks.workbook import notice_exporters

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def built():
    out = StringIO()
    call_command("build_regional_data", "--small", stdout=out)
    return out.getvalue()


def test_the_tree_has_the_sizes_asked_for(built):
    assert Organisation.objects.filter(kind=OrgKind.REGION).count() == 1
    committees = Organisation.objects.filter(kind=OrgKind.COMMITTEE)
    assert committees.count() == SMALL.committees
    assert Organisation.objects.filter(kind=OrgKind.BRANCH).count() == SMALL.branches
    big = committees.get(name=BIG_COMMITTEE_NAME)
    assert Organisation.objects.within(big).branches().count() == SMALL.big_committee_branches
    # Every branch hangs under a committee of the region: the stored paths are consistent.
    for branch in Organisation.objects.filter(kind=OrgKind.BRANCH):
        ancestors = Organisation.objects.get_ancestors(branch)
        assert ancestors.filter(kind=OrgKind.COMMITTEE).count() == 1
    assert Person.objects.filter(user=None).count() == SMALL.people
    assert MeetingRecord.objects.count() == SMALL.branches * SMALL.meetings_per_branch


def test_a_year_of_notices_with_assignments_in_every_state(built):
    committees = SMALL.committees
    assert Notice.objects.count() == committees * SMALL.notices_per_committee
    assert TaskItem.objects.count() == committees * SMALL.items_per_committee
    assert Assignment.objects.count() == SMALL.branches * SMALL.items_per_committee
    states = set(Assignment.objects.values_list("status", flat=True))
    assert states == set(AssignmentStatus.values)
    workbook = Notice.objects.get(committee__name=BIG_COMMITTEE_NAME, issue_number=WORKBOOK_ISSUE)
    handed_in = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)
    assignments = Assignment.objects.filter(item__area__notice=workbook)
    assert assignments.exists()
    assert not assignments.exclude(status__in=handed_in).exists()


def test_the_workbook_notice_has_every_branch_s_forms(built):
    workbook = Notice.objects.get(committee__name=BIG_COMMITTEE_NAME, issue_number=WORKBOOK_ISSUE)
    items = TaskItem.objects.filter(area__notice=workbook)
    kinds = set(items.values_list("kind", flat=True))
    assert {"rectification", "service_survey", "brand_plan", "star_self_assessment"} <= kinds
    assert "report" in kinds
    branches = SMALL.big_committee_branches
    for model, rows in ((RectificationList, 3), (ServiceSurvey, 3), (BrandPlan, 3)):
        sheets = model.objects.filter(assignment__item__area__notice=workbook)
        assert sheets.count() == branches
        assert all(sheet.rows.count() == rows for sheet in sheets)
    assessments = StarSelfAssessment.objects.filter(assignment__item__area__notice=workbook)
    assert assessments.count() == branches
    for sheet in assessments:
        assert sheet.answers.count() == sheet.indicator_set.indicators.count() > 0
    # The workbook of that notice carries a sheet for each form.
    titles = [str(e.sheet_title or e.title) for e in notice_exporters(workbook)]
    assert len(titles) >= 5, titles


def test_a_published_rating_round_per_committee(built):
    assert RatingRound.objects.filter(status=RoundStatus.PUBLISHED).count() == SMALL.committees
    assert StarDecision.objects.exclude(star=None).count() == SMALL.branches


def test_the_logins_reach_their_pages(built):
    def client(username: str) -> Client:
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        c.force_login(user)
        return c

    big = Organisation.objects.get(name=BIG_COMMITTEE_NAME)
    office = Role.objects.get(kind=RoleKind.OFFICE, organisation=big).person.user
    notice = Notice.objects.get(committee=big, issue_number=DASHBOARD_ISSUE)
    response = client(office.username).get(reverse("tasks:notice_dashboard", args=[notice.pk]))
    assert response.status_code == 200
    branch = Organisation.objects.within(big).branches().first()
    secretary = Role.objects.get(kind=RoleKind.SECRETARY, organisation=branch).person.user
    response = client(secretary.username).get(reverse("tasks:todo_list", args=[branch.pk]))
    assert response.status_code == 200
    assert client("region-viewer").get(reverse("branches:region_tree")).status_code == 200
    member = Role.objects.filter(kind=RoleKind.COMMITTEE_MEMBER, organisation=big).first()
    assert member.person.liaison_organisations.exists()
    liaison = client(member.person.user.username).get(reverse("branches:liaison_branches"))
    assert liaison.status_code == 200


def test_it_reports_each_step(built):
    assert "build_regional_data: region" in built
    assert "assignments" in built
