"""The branches' part of the regional synthetic data (``manage.py build_regional_data``): the
region, its committees, general branches of 50 and branches (every tenth retired), people,
logins with their roles and liaison branches, and each branch's meeting records.

Tree paths are computed as treebeard computes them, so the tree is written in a few INSERTs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from branches.models import (
    MeetingRecord,
    MeetingType,
    MemberType,
    Organisation,
    OrgKind,
    Person,
    Role,
    RoleKind,
    Service,
)
from portal.regional_data import BIG_COMMITTEE_NAME, PASSWORD, REGION_NAME, RegionalData

BATCH = 5000
PER_GENERAL = 50
MEETING_TYPES = [
    MeetingType.GENERAL_MEETING,
    MeetingType.COMMITTEE_MEETING,
    MeetingType.PARTY_LESSON,
    MeetingType.THEMED_DAY,
]


def _children(parent: Organisation, specs: list[dict]) -> list[Organisation]:
    """Append children to ``parent`` in one INSERT, numbering after its existing children."""
    parent.refresh_from_db()
    start = parent.numchild
    rows = [
        Organisation(
            path=Organisation._get_path(parent.path, parent.depth + 1, start + offset),
            depth=parent.depth + 1,
            numchild=0,
            **fields,
        )
        for offset, fields in enumerate(specs, 1)
    ]
    Organisation.objects.bulk_create(rows, batch_size=BATCH)
    Organisation.objects.filter(pk=parent.pk).update(numchild=start + len(specs))
    return list(Organisation.objects.filter(path__in=[r.path for r in rows]).order_by("path"))


def _branch_counts(data: RegionalData) -> list[int]:
    size = data.size
    rest = size.committees - 1
    counts = [size.big_committee_branches]
    if rest:
        each, extra = divmod(size.branches - size.big_committee_branches, rest)
        counts += [each + (1 if c < extra else 0) for c in range(rest)]
    return counts


def _tree(data: RegionalData) -> list[Organisation]:
    region = Organisation.objects.add_root({"name": REGION_NAME, "kind": OrgKind.REGION})
    data.region_id = region.pk
    counts = _branch_counts(data)
    names = [BIG_COMMITTEE_NAME] + [f"第{c + 1}研究所党委" for c in range(1, len(counts))]
    committees = _children(region, [{"name": n, "kind": OrgKind.COMMITTEE} for n in names])
    committees.sort(key=lambda c: c.name != BIG_COMMITTEE_NAME)
    numbered = 0
    for committee, count in zip(committees, counts, strict=True):
        generals = _children(
            committee,
            [
                {"name": f"第{g + 1}党总支", "kind": OrgKind.GENERAL_BRANCH}
                for g in range(-(-count // PER_GENERAL))
            ],
        )
        ids: list[int] = []
        for general in generals:
            n = min(PER_GENERAL, count - len(ids))
            specs = [
                {
                    "name": f"第{numbered + i + 1:04d}党支部",
                    "kind": OrgKind.BRANCH,
                    "service": Service.RETIRED if (numbered + i) % 10 == 9 else Service.IN_SERVICE,
                }
                for i in range(n)
            ]
            ids += [b.pk for b in _children(general, specs)]
            numbered += n
        data.branches[committee.pk] = ids
    return committees


def _people(data: RegionalData) -> None:
    all_branches = [b for ids in data.branches.values() for b in ids]
    rows = []
    for n in range(data.size.people):
        rows.append(
            Person(
                name=f"党员{n:06d}",
                branch_id=all_branches[n % len(all_branches)],
                member_type=MemberType.FULL if n % 9 else MemberType.PROBATIONARY,
                phone=f"139{n:08d}",
            )
        )
        if len(rows) >= BATCH:
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)


def _logins(data: RegionalData, committees: list[Organisation]) -> None:
    """One office login per committee, its liaison committee members, one secretary per
    branch and a regional viewer; all with ``PASSWORD`` (hashed once)."""
    User = get_user_model()
    hashed = make_password(PASSWORD)
    # (username, person name, branch id, organisation id, role kind)
    specs: list[tuple[str, str, int | None, int, str]] = []
    for c, committee in enumerate(committees):
        specs.append((f"office-{c}", f"党办{c}", None, committee.pk, RoleKind.OFFICE))
        data.office[committee.pk] = f"office-{c}"
        names = [f"member-{c}-{m}" for m in range(data.size.liaison_members)]
        data.members[committee.pk] = names
        specs += [(n, f"委员{n}", None, committee.pk, RoleKind.COMMITTEE_MEMBER) for n in names]
        for branch_id in data.branches[committee.pk]:
            name = f"secretary-{branch_id}"
            data.secretaries[branch_id] = name
            specs.append((name, f"书记{branch_id}", branch_id, branch_id, RoleKind.SECRETARY))
    assert data.region_id is not None
    data.regional_viewer = "region-viewer"
    specs.append(("region-viewer", "分院", None, data.region_id, RoleKind.REGIONAL_VIEWER))
    users = User.objects.bulk_create(
        [User(username=s[0], password=hashed) for s in specs], batch_size=BATCH
    )
    people = Person.objects.bulk_create(
        [
            Person(name=s[1], branch_id=s[2], user=user, phone="13800000000")
            for s, user in zip(specs, users, strict=True)
        ],
        batch_size=BATCH,
    )
    Role.objects.bulk_create(
        [
            Role(person=person, organisation_id=s[3], kind=s[4])
            for s, person in zip(specs, people, strict=True)
        ],
        batch_size=BATCH,
    )
    # Each committee member liaises with a share of the committee's branches.
    by_name = {s[0]: person for s, person in zip(specs, people, strict=True)}
    Liaison = Organisation.liaison_members.through
    links = []
    for committee in committees:
        members = [by_name[n] for n in data.members[committee.pk]]
        if not members:
            continue
        for b, branch_id in enumerate(data.branches[committee.pk]):
            links.append(Liaison(organisation_id=branch_id, person_id=members[b % len(members)].pk))
    Liaison.objects.bulk_create(links, batch_size=BATCH)


def _meetings(data: RegionalData) -> None:
    today = timezone.localdate()
    rows = []
    for ids in data.branches.values():
        for b, branch_id in enumerate(ids):
            for m in range(data.size.meetings_per_branch):
                rows.append(
                    MeetingRecord(
                        branch_id=branch_id,
                        meeting_type=MEETING_TYPES[(b + m) % len(MEETING_TYPES)],
                        theme=f"学习贯彻专题第{m + 1}次",
                        date=today - timedelta(days=20 + 80 * m + b % 30),
                        due_count=50,
                        present_count=45 + (b + m) % 5,
                        summary="会议传达学习了上级精神，讨论了本支部工作安排。",
                    )
                )
                if len(rows) >= BATCH:
                    MeetingRecord.objects.bulk_create(rows)
                    rows = []
    MeetingRecord.objects.bulk_create(rows)


def build_regional_branches(data: RegionalData, write: Callable[[str], None]) -> None:
    committees = _tree(data)
    write(f"  {len(committees)} committees, {sum(map(len, data.branches.values()))} branches")
    _people(data)
    _logins(data, committees)
    _meetings(data)
