import pytest
from django.core.management import call_command

from branches.models import Organisation, OrgKind, Person, Role, RoleKind, Service

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_committee_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Organisation.objects.count(), Person.objects.count(), Role.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Organisation.objects.count(), Person.objects.count(), Role.objects.count()) == counts

    committee = Organisation.objects.get(name="中国科学院分子细胞科学卓越创新中心党委")
    assert Organisation.objects.get_parent(committee).name == "中国科学院上海分院"
    branches = Organisation.objects.within(committee).branches()
    assert branches.filter(service=Service.IN_SERVICE).count() == 12
    assert branches.filter(service=Service.RETIRED).count() == 2
    for branch in branches:
        assert 14 <= branch.people.count() <= 20, branch
        assert branch.liaison_members.exists(), branch
    assert Role.objects.filter(kind=RoleKind.COMMITTEE_MEMBER).count() == 7
    assert Organisation.objects.filter(kind=OrgKind.GROUP).exists()


def test_every_demo_login_has_its_role():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    expected = {
        "office": RoleKind.OFFICE,
        "committee": RoleKind.COMMITTEE_MEMBER,
        "secretary1": RoleKind.SECRETARY,
        "secretary2": RoleKind.SECRETARY,
        "member": RoleKind.MEMBER,
        "regional": RoleKind.REGIONAL_VIEWER,
    }
    for username, kind in expected.items():
        assert Role.objects.filter(person__user__username=username, kind=kind).exists(), username
