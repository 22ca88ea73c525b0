"""Registry of the steps that build synthetic data at the scale of a regional deployment.

``manage.py build_regional_data`` makes one region with its committees, branches, people,
logins, a year of notices with assignments in every state, meeting records and a published
rating round, for the benchmarks (``make bench``) and, at a small size, for a test. Each app
registers its step in its startup module (as with the demo steps); the steps run in
INSTALLED_APPS order and pass what they made to the next through one ``RegionalData``.
Rows are written in bulk: no signal fires and no row is saved one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Every login the data makes has this password (the bench signs in with it).
PASSWORD = "regional-bench-2026"
REGION_NAME = "中国科学院上海分院（合成数据）"
#: The committee with the most branches: its notices are the dashboard's and workbook's.
BIG_COMMITTEE_NAME = "基准研究所党委"
#: Issue numbers of each committee's notices: two handed in, one running.
WORKBOOK_ISSUE = 2
DASHBOARD_ISSUE = 3


@dataclass(frozen=True)
class RegionalSize:
    committees: int = 15
    branches: int = 3000
    big_committee_branches: int = 1000
    people: int = 150_000
    items_per_committee: int = 60
    notices_per_committee: int = 3
    liaison_members: int = 5
    meetings_per_branch: int = 4


SMALL = RegionalSize(
    committees=3,
    branches=30,
    big_committee_branches=12,
    people=300,
    items_per_committee=15,  # five a notice: the workbook's holds four forms and a report
    notices_per_committee=3,
    liaison_members=2,
    meetings_per_branch=2,
)


@dataclass
class RegionalData:
    """What the steps made so far; each step adds what the later ones need."""

    size: RegionalSize
    region_id: int | None = None
    #: committee id → its branches' ids, the big committee first.
    branches: dict[int, list[int]] = field(default_factory=dict)
    #: username of the office staff, committee members and secretaries per committee id.
    office: dict[int, str] = field(default_factory=dict)
    members: dict[int, list[str]] = field(default_factory=dict)
    secretaries: dict[int, str] = field(default_factory=dict)  # branch id → username
    regional_viewer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


RegionalStep = Callable[[RegionalData, Callable[[str], None]], None]

_steps: list[tuple[str, RegionalStep]] = []


def register_regional_step(name: str, step: RegionalStep) -> None:
    if name not in {existing for existing, _ in _steps}:
        _steps.append((name, step))


def regional_steps() -> list[tuple[str, RegionalStep]]:
    return list(_steps)
