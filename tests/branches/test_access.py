from __future__ import annotations

import pytest
from django.http import Http404

from branches.access import (
    can_edit_organisation,
    editable_organisations,
    get_organisation_for_user,
    scope_for,
    visible_organisations,
    visible_people,
)

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_office_sees_and_edits_its_committee_subtree_only(personas):
    user = personas.user("office")
    visible = names(visible_organisations(user))
    assert {"测试中心党委", "甲党支部", "乙党支部", "离退休党支部", "甲党支部第1党小组"} <= visible
    assert "另一所党支部" not in visible and "上海分院" not in visible
    assert names(editable_organisations(user)) == visible


def test_secretary_edits_his_branch_and_its_groups_only(personas):
    user = personas.user("secretary_a")
    assert names(editable_organisations(user)) == {"甲党支部", "甲党支部第1党小组"}
    assert can_edit_organisation(user, personas.tree["group_a"])
    assert not can_edit_organisation(user, personas.tree["branch_b"])


def test_committee_member_reads_the_committee_but_edits_nothing(personas):
    user = personas.user("committee")
    assert "乙党支部" in names(visible_organisations(user))
    assert not editable_organisations(user).exists()
    assert scope_for(user).liaison_ids == (personas.tree["branch_a"].pk,)


def test_regional_viewer_reads_every_institute_and_edits_nothing(personas):
    user = personas.user("regional")
    assert {"测试中心党委", "另一研究所党委", "另一所党支部"} <= names(visible_organisations(user))
    assert not editable_organisations(user).exists()


def test_object_outside_scope_is_a_404(personas):
    with pytest.raises(Http404):
        get_organisation_for_user(personas.user("secretary_a"), personas.tree["branch_b"].pk)
    with pytest.raises(Http404):
        get_organisation_for_user(personas.user("office"), personas.tree["other_branch"].pk)
    with pytest.raises(Http404):
        get_organisation_for_user(personas.user("office"), "not-a-number")
    with pytest.raises(Http404):
        get_organisation_for_user(
            personas.user("committee"), personas.tree["branch_a"].pk, edit=True
        )


def test_plain_member_sees_only_himself(personas):
    assert list(visible_people(personas.user("member"))) == [personas.people["member"]]


def test_anonymous_user_reaches_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_organisations(AnonymousUser()).exists()


def test_scope_is_computed_once_per_user_object(personas, django_assert_num_queries):
    user = personas.user("secretary_a")
    scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)
