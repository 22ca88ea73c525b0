"""Benchmark: the portal xlsx writer against bare XlsxWriter on the same cells.

Not a test. Run ``python -m tests.perf.xlsx_export_bench 100000 [repeat]``.

The floor is what any export of these cells must cost: bare XlsxWriter in constant_memory
mode writing the same values (title, info, header and data rows: strings, dates, numbers) by
their typed calls, with one format per column. Ours adds the official layout (merged title,
info and block rows, print setup, drop-downs), type dispatch and formula sanitising. A second
figure compares ours with openpyxl's public write-only API on the same values, unstyled (the
writer the portal used before). Peak memory is the process's maximum resident set size after
our export (the number a worker's memory limit sees), measured without tracemalloc so timings
stay honest.
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

import xlsxwriter  # noqa: E402
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
    Column("members", "参加人数", 8, INT),
    Column("contact", "联系人", 10),
    Column("reported", "报送日期", 12, DATE),
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
            i % 40 + 5,
            "李四",
            _BASE_DATE + datetime.timedelta(days=i % 30),
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
    """Bare XlsxWriter, constant_memory: the same cells, one format per column."""
    labels = dict(STATUSES)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("bench")
    plain = wb.add_format()
    formats = [
        wb.add_format({"num_format": "yyyy-mm-dd"} if c.kind == DATE else {}) for c in COLUMNS
    ]
    ws.write_string(0, 0, "整改问题及举措清单", plain)
    ws.write_string(1, 0, "填报单位：某研究所党委", plain)
    ws.write_string(1, 6, "填报日期：2022-10-31", plain)
    for col, column in enumerate(COLUMNS):
        ws.write_string(2, col, str(column.header), plain)
    write_string, write_number = ws.write_string, ws.write_number
    write_datetime, write_blank = ws.write_datetime, ws.write_blank
    for r, row in enumerate(synthetic_rows(n), 3):
        row[8] = labels[row[8]]
        for col, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    write_string(r, col, value, formats[col])
                else:
                    write_blank(r, col, None, formats[col])
            elif isinstance(value, datetime.date):
                write_datetime(r, col, value, formats[col])
            else:
                write_number(r, col, value, formats[col])
    wb.close()


def _openpyxl(n: int, path: str) -> None:
    """openpyxl's public write-only API: the same values appended, unstyled."""
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
    """CPU seconds of this process for one run: on a machine shared with other jobs the wall
    clock also counts the time spent waiting for a core, which says nothing about the code."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.xlsx")
        start = time.process_time()
        fn(n, path)
        return time.process_time() - start


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


def run_bench(n: int = 100_000, repeat: int = 2) -> tuple[float, float, float, float]:
    """Return (our_seconds, floor_seconds, openpyxl_seconds, peak_mb) for ``n`` rows × 15
    columns.

    Runs alternate and the best of ``repeat`` is kept: shared machines are noisy, and the
    minimum is the best estimate of what the code itself costs.
    """
    _timed(_ours, 200)  # warm imports and translation catalogues
    _timed(_floor, 200)
    ours, floor, openpyxl = [], [], []
    ours.append(_timed(_ours, n))
    # The process's peak so far is the export's own: read it before the other scripts (and the
    # later repetitions, whose freed memory the allocator keeps) can raise it.
    peak = _max_rss_mb()
    floor.append(_timed(_floor, n))
    openpyxl.append(_timed(_openpyxl, n))
    for _i in range(repeat - 1):
        ours.append(_timed(_ours, n))
        floor.append(_timed(_floor, n))
        openpyxl.append(_timed(_openpyxl, n))
    return min(ours), min(floor), min(openpyxl), peak


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 100_000
    repeat = int(argv[2]) if len(argv) > 2 else 2
    ours, floor, openpyxl, peak = run_bench(n, repeat)
    label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    print(f"bench: export_{label}_s {ours:.2f} s")
    print(f"bench: export_floor_{label}_s {floor:.2f} s")
    print(f"bench: export_ratio {ours / floor:.2f} ratio")
    print(f"bench: export_vs_openpyxl_ratio {ours / openpyxl:.2f} ratio")
    print(f"bench: export_peak_mb {peak:.1f} MB")


if __name__ == "__main__":
    main(sys.argv)
