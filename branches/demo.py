"""Demo organisations and people: the committee of the 2022-10-18 notice under the Shanghai Branch.

Names are invented; the generator is seeded so every run produces the same people.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from branches.models import (
    Gender,
    MemberType,
    Organisation,
    OrgKind,
    Person,
    Role,
    RoleKind,
    Service,
)

DEMO_PASSWORD = "demo-2022-portal"

REGION = "中国科学院上海分院"
COMMITTEE = "中国科学院分子细胞科学卓越创新中心党委"

# general branch → [(branch name, in service?, founded)]
STRUCTURE: list[tuple[str, Service, list[tuple[str, date]]]] = [
    (
        "科研第一党总支",
        Service.IN_SERVICE,
        [
            ("细胞生物学第一党支部", date(2000, 6, 1)),
            ("细胞生物学第二党支部", date(2004, 3, 12)),
            ("生物化学与分子生物学党支部", date(2000, 6, 1)),
            ("结构生物学党支部", date(2010, 9, 20)),
        ],
    ),
    (
        "科研第二党总支",
        Service.IN_SERVICE,
        [
            ("干细胞与发育生物学党支部", date(2008, 5, 6)),
            ("神经与代谢研究党支部", date(2012, 11, 2)),
            ("免疫与肿瘤研究党支部", date(2015, 4, 18)),
            ("研究生第一党支部", date(2003, 10, 9)),
            ("研究生第二党支部", date(2021, 12, 15)),
        ],
    ),
    (
        "管理与支撑党总支",
        Service.IN_SERVICE,
        [
            ("公共技术平台党支部", date(2006, 7, 1)),
            ("博士后党支部", date(2018, 1, 10)),
            ("机关党支部", date(2000, 6, 1)),
        ],
    ),
    (
        "离退休党总支",
        Service.RETIRED,
        [
            ("离退休第一党支部", date(2000, 6, 1)),
            ("离退休第二党支部", date(2000, 6, 1)),
        ],
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    "建国志红玉兰晓东海燕春梅文博宇浩然思雨欣怡子涵一鸣嘉懿"
)

# (username, person name, role, where) for the demo logins printed by `make run`.
DEMO_LOGINS = [
    ("office", "周晓红", RoleKind.OFFICE, COMMITTEE),
    ("committee", "李建国", RoleKind.COMMITTEE_MEMBER, COMMITTEE),
    ("secretary1", "王海燕", RoleKind.SECRETARY, "细胞生物学第一党支部"),
    ("secretary2", "陈志明", RoleKind.SECRETARY, "生物化学与分子生物学党支部"),
    ("member", "张思雨", RoleKind.MEMBER, "细胞生物学第一党支部"),
    ("regional", "刘文博", RoleKind.REGIONAL_VIEWER, REGION),
]


def _node(parent: Organisation | None, name: str, kind: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    fields.update(name=name, kind=kind)
    if parent is None:
        return Organisation.objects.add_root(create_kwargs=fields)
    return Organisation.objects.add_child(parent, create_kwargs=fields)


def _person_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in taken:
            taken.add(name)
            return name


def _fill_branch(branch: Organisation, rng: random.Random, taken: set[str], retired: bool) -> None:
    if branch.people.exists():
        return
    people = []
    for i in range(15):
        born = date(1945 if retired else 1965, 1, 1) + timedelta(days=rng.randrange(0, 25 * 365))
        member_type = (
            MemberType.PROBATIONARY if (not retired and i in (13, 14)) else MemberType.FULL
        )
        joined = born + timedelta(days=rng.randrange(19 * 365, 30 * 365))
        people.append(
            Person(
                name=_person_name(rng, taken),
                gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                birth_date=born,
                phone=f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                email=f"member{branch.pk}_{i}@example.org",
                member_type=member_type,
                joined_on=min(joined, date(2022, 6, 1)),
                branch=branch,
            )
        )
    Person.objects.bulk_create(people)
    first, second = Person.objects.filter(branch=branch).order_by("id")[:2]
    Role.objects.get_or_create(person=first, organisation=branch, kind=RoleKind.SECRETARY)
    Role.objects.get_or_create(
        person=second, organisation=branch, kind=RoleKind.ORGANISATION_MEMBER
    )


def seed_organisations(write=print) -> None:
    rng = random.Random(20221018)
    region = _node(None, REGION, OrgKind.REGION)
    committee = _node(
        region,
        COMMITTEE,
        OrgKind.COMMITTEE,
        short_name="分子细胞卓越中心党委",
        founded_on=date(2000, 6, 1),
    )
    taken = set(Person.objects.values_list("name", flat=True))
    branches: dict[str, Organisation] = {}
    for general_name, service, branch_specs in STRUCTURE:
        general = _node(committee, general_name, OrgKind.GENERAL_BRANCH, service=service)
        for name, founded in branch_specs:
            branch = _node(
                general,
                name,
                OrgKind.BRANCH,
                service=service,
                founded_on=founded,
                last_election_on=date(2021, 6, 30),
            )
            branches[name] = branch
            _fill_branch(branch, rng, taken, retired=service == Service.RETIRED)
    for branch_name in ("细胞生物学第一党支部", "研究生第一党支部"):
        for n in (1, 2):
            _node(branches[branch_name], f"{branch_name}第{n}党小组", OrgKind.GROUP)

    _seed_logins(branches, committee, region)
    _seed_committee(branches, committee)
    write(f"  {Organisation.objects.count()} organisations, {Person.objects.count()} people")
    write(f"  demo logins (password {DEMO_PASSWORD}):")
    for username, name, kind, place in DEMO_LOGINS:
        write(f"    {username:<11} {name} · {kind.label} · {place}")


def _seed_logins(branches, committee, region) -> None:
    User = get_user_model()
    where = {COMMITTEE: committee, REGION: region, **branches}
    office_branch = branches["机关党支部"]
    for username, name, kind, place in DEMO_LOGINS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = kind == RoleKind.OFFICE
            user.save()
        home = where[place] if where[place].kind == OrgKind.BRANCH else office_branch
        person, _ = Person.objects.get_or_create(
            name=name,
            defaults={
                "branch": None if kind == RoleKind.REGIONAL_VIEWER else home,
                "member_type": MemberType.FULL,
                "gender": Gender.FEMALE if name[-1] in "红燕雨" else Gender.MALE,
                "joined_on": date(2001, 7, 1),
                "phone": "13800000000",
                "email": f"{username}@example.org",
            },
        )
        if person.user_id != user.id:
            person.user = user
            person.save(update_fields=["user"])
        Role.objects.get_or_create(person=person, organisation=where[place], kind=kind)
        if kind == RoleKind.MEMBER:
            continue
        if kind == RoleKind.SECRETARY:
            # The demo secretary replaces the generated one of his branch.
            Role.objects.filter(organisation=where[place], kind=RoleKind.SECRETARY).exclude(
                person=person
            ).delete()


def _seed_committee(branches, committee) -> None:
    """Seven committee members; each liaises with two branches (the demo login with two)."""
    in_service = [b for b in branches.values() if b.service == Service.IN_SERVICE]
    members = list(Person.objects.filter(roles__kind=RoleKind.COMMITTEE_MEMBER))
    candidates = Person.objects.filter(branch__in=in_service, roles__isnull=True).order_by("id")
    for person in candidates[: max(0, 7 - len(members))]:
        Role.objects.get_or_create(
            person=person, organisation=committee, kind=RoleKind.COMMITTEE_MEMBER
        )
        members.append(person)
    members.sort(key=lambda p: (p.user_id is None, p.id))
    for index, branch in enumerate(
        in_service + [b for b in branches.values() if b not in in_service]
    ):
        if not branch.liaison_members.exists():
            branch.liaison_members.add(members[(index // 2) % len(members)])
