"""Small builders for test data: an organisation tree and people with logins and roles."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from branches.models import MemberType, Organisation, OrgKind, Person, Role, Service

PASSWORD = "test-pass-2022"


def _root(**fields) -> Organisation:
    return Organisation.objects.add_root(create_kwargs=fields)


def _child(parent: Organisation, **fields) -> Organisation:
    return Organisation.objects.add_child(parent, create_kwargs=fields)


def make_tree() -> dict[str, Organisation]:
    region = _root(name="上海分院", kind=OrgKind.REGION)
    committee = _child(region, name="测试中心党委", kind=OrgKind.COMMITTEE)
    general = _child(committee, name="科研党总支", kind=OrgKind.GENERAL_BRANCH)
    branch_a = _child(general, name="甲党支部", kind=OrgKind.BRANCH, founded_on=date(2010, 1, 1))
    branch_b = _child(general, name="乙党支部", kind=OrgKind.BRANCH, founded_on=date(2012, 1, 1))
    retired = _child(committee, name="离退休党支部", kind=OrgKind.BRANCH, service=Service.RETIRED)
    group_a = _child(branch_a, name="甲党支部第1党小组", kind=OrgKind.GROUP)
    other_committee = _child(region, name="另一研究所党委", kind=OrgKind.COMMITTEE)
    other_branch = _child(other_committee, name="另一所党支部", kind=OrgKind.BRANCH)
    nodes = {
        "region": region,
        "committee": committee,
        "general": general,
        "branch_a": branch_a,
        "branch_b": branch_b,
        "retired": retired,
        "group_a": group_a,
        "other_committee": other_committee,
        "other_branch": other_branch,
    }
    return {key: Organisation.objects.get(pk=node.pk) for key, node in nodes.items()}


def make_person(
    name: str,
    branch: Organisation | None,
    *,
    username: str | None = None,
    roles: list[tuple[str, Organisation]] = (),
    **fields,
) -> Person:
    user = None
    if username:
        user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    fields.setdefault("member_type", MemberType.FULL)
    fields.setdefault("phone", "13912345678")
    person = Person.objects.create(name=name, branch=branch, user=user, **fields)
    for kind, organisation in roles:
        Role.objects.create(person=person, organisation=organisation, kind=kind)
    return person
