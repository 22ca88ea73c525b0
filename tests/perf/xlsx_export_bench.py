"""Benchmark: the portal xlsx writer against bare openpyxl write-only on the same cells.

Not a test. Run ``python -m tests.perf.xlsx_export_bench 100000 [repeat]``.

The floor appends the same values (title, info, header and data rows) to a plain write-only
sheet without any styling; ours adds the official layout, styles on every cell and formula
sanitising. Peak memory is the process's maximum resident set size after our export (the
number a worker's memory limit sees), measured without tracemalloc so timings stay honest.
"""

from __future__ import annotations

import datetime
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator

import django
from django.conf import settings

if "DJANGO_SETTINGS_MODULE" not in os.environ and not settings.configured:
    # The writer needs only translations and time zones; a bare configuration keeps the
    # benchmark independent of the apps and the database.
    settings.configure(
        USE_I18N=True, USE_TZ=True, TIME_ZONE="Asia/Shanghai", LANGUAGE_CODE="zh-hans"
    )
django.setup()

from openpyxl import Workbook  # noqa: E402

from portal.exporters import CHOICE, DATE, INT, Column, Exporter  # noqa: E402
from portal.xlsx import write_xlsx  # noqa: E402

STATUSES = [("open", "未开始"), ("doing", "进行中"), ("done", "已完成")]
COLUMNS = [
    Column("no", "序号", 6, INT),
    Column("branch", "党支部", 18),
    Column("source", "问题来源", 14),
    Column("category", "类别", 12),
    Column("problem", "问题描述", 36),
    Column("measures", "整改措施", 36),
    Column("owner", "责任人", 10),
    Column("deadline", "完成时限", 12, DATE),
    Column("status", "状态", 10, CHOICE, choices=STATUSES),
    Column("progress", "进展情况", 30),
    Column("meeting", "党委会日期", 12, DATE),
    Column("remarks", "备注", 16),
]
_BASE_DATE = datetime.date(2022, 10, 31)


def synthetic_rows(n: int) -> Iterator[list]:
    for i in range(n):
        yield [
            i + 1,
            f"第{i % 1000}党支部",
            "组织生活会",
            "思想建设",
            f"问题{i}：理论学习的深度和系统性有待加强，结合科研工作不够紧密",
            "制定学习计划，每月开展一次专题学习，支部书记讲党课",
            "张三",
            _BASE_DATE + datetime.timedelta(days=i % 60),
            STATUSES[i % 3][0],
            "=SUM(A1:A2)" if i % 500 == 0 else "已完成第一阶段工作",
            _BASE_DATE,
            "" if i % 7 else "-",
        ]


class BenchExporter(Exporter):
    identifier = "bench.rectification"
    title = "整改问题及举措清单"
    columns = COLUMNS

    def __init__(self, n: int):
        super().__init__(unit_name="某研究所党委", filled_on=_BASE_DATE)
        self.n = n

    def rows(self):
        return synthetic_rows(self.n)


def _floor(n: int, path: str) -> None:
    labels = dict(STATUSES)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("bench")
    ws.append(["整改问题及举措清单"])
    ws.append(["填报单位：某研究所党委", None, None, None, None, None, "填报日期：2022-10-31"])
    ws.append([str(c.header) for c in COLUMNS])
    for row in synthetic_rows(n):
        row[8] = labels[row[8]]
        ws.append(row)
    wb.save(path)


def _ours(n: int, path: str) -> None:
    write_xlsx(BenchExporter(n), path)


def _timed(fn, n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.xlsx")
        start = time.perf_counter()
        fn(n, path)
        return time.perf_counter() - start


def _max_rss_mb() -> float:
    """This process's peak resident set size.

    On Linux, from VmHWM: ``getrusage``'s ru_maxrss survives ``exec`` and so reports the
    parent's size at fork (``make bench`` starts this script from a process that has held the
    other figures' data), not the export's.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for text in status:
                if text.startswith("VmHWM:"):
                    return int(text.split()[1]) / 1024  # kB
    except OSError:
        pass
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_bench(n: int = 100_000, repeat: int = 2) -> tuple[float, float, float]:
    """Return (our_seconds, floor_seconds, peak_mb) for ``n`` rows × 12 columns.

    Runs alternate and the best of ``repeat`` is kept: shared machines are noisy, and the
    minimum is the best estimate of what the code itself costs.
    """
    _timed(_ours, 200)  # warm imports and translation catalogues
    ours, floor = [], []
    ours.append(_timed(_ours, n))
    # The process's peak so far is the export's own: read it before the floor script (and the
    # later repetitions, whose freed memory the allocator keeps) can raise it.
    peak = _max_rss_mb()
    floor.append(_timed(_floor, n))
    for _i in range(repeat - 1):
        ours.append(_timed(_ours, n))
        floor.append(_timed(_floor, n))
    return min(ours), min(floor), peak


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 100_000
    repeat = int(argv[2]) if len(argv) > 2 else 2
    ours, floor, peak = run_bench(n, repeat)
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    print(f"bench: export_{label}_s {ours:.2f} s")
    print(f"bench: export_floor_{label}_s {floor:.2f} s")
    print(f"bench: export_ratio {ours / floor:.2f} ratio")
    print(f"bench: export_peak_mb {peak:.1f} MB")


if __name__ == "__main__":
    main(sys.argv)
