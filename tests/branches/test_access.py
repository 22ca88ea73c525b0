from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from branches.access import (
    can_edit_organisation,
    can_read_branch_life,
    editable_branch,
    editable_organisations,
    get_organisation_for_user,
    readable_branch,
    readable_branches,
    scope_for,
    visible_organisations,
    visible_people,
)
from branches.models import Organisation, Person, within_paths_q

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

    assert not visible_organisations(AnonymousUser()).exists()


def test_scope_is_computed_once_per_user_object(personas, django_assert_num_queries):
    user = personas.user("secretary_a")
    scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)


def test_branch_life_is_read_by_the_branch_editors_and_the_committee_readers(personas):
    branch_a = personas.tree["branch_a"]
    for persona in ("office", "committee", "secretary_a"):
        assert readable_branch(personas.user(persona), branch_a.pk) == branch_a
        assert can_read_branch_life(personas.user(persona), branch_a)
    assert not can_read_branch_life(personas.user("secretary_b"), branch_a)
    assert not can_read_branch_life(personas.user("member"), branch_a)
    for persona, pk in (("secretary_b", branch_a.pk), ("member", branch_a.pk)):
        with pytest.raises(Http404):
            readable_branch(personas.user(persona), pk)
    with pytest.raises(Http404):  # the committee is not a branch
        readable_branch(personas.user("office"), personas.tree["committee"].pk)


def test_branch_life_is_written_by_the_branch_editors_only(personas):
    branch_a = personas.tree["branch_a"]
    assert editable_branch(personas.user("secretary_a"), branch_a.pk) == branch_a
    assert editable_branch(personas.user("office"), branch_a.pk) == branch_a
    for persona in ("committee", "secretary_b", "member"):
        with pytest.raises(Http404):
            editable_branch(personas.user(persona), branch_a.pk)


def test_readable_branches_are_the_readers_subtree_or_the_editors_own(personas):
    assert names(readable_branches(personas.user("secretary_a"))) == {"甲党支部"}
    committee_branches = names(readable_branches(personas.user("committee")))
    assert {"甲党支部", "乙党支部"} <= committee_branches
    assert "另一所党支部" not in committee_branches
    assert not readable_branches(personas.user("member")).exists()


def test_the_subtree_condition_follows_a_relation_and_matches_nothing_without_paths(personas):
    branch_a = personas.tree["branch_a"]
    subtree = Organisation.objects.within(branch_a)
    assert names(subtree) == {"甲党支部", "甲党支部第1党小组"}
    people = Person.objects.filter(within_paths_q([branch_a.path], via="branch__"))
    assert set(people) == set(Person.objects.filter(branch__in=subtree))
    assert people.exists()
    assert not Person.objects.filter(within_paths_q([], via="branch__")).exists()
    assert not Organisation.objects.within_paths([]).exists()
