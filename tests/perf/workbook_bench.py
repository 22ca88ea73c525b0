"""The Shanghai Branch workbook of a notice of the 1,000-branch committee (20 items, every
assignment handed in), built from the bench database as the export job builds it.

Run by ``make bench`` in a fresh process (``python -m tests.perf.workbook_bench``, with
DATABASE_URL pointing at the bench database), so the peak resident memory is the build's own.
Prints ``workbook_1000_s`` (wall clock; the process's CPU time as a ``#`` line, steadier on a
shared machine) and ``workbook_peak_mb``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from portal.regional_data import BIG_COMMITTEE_NAME, WORKBOOK_ISSUE  # noqa: E402
from tasks.models import Notice  # noqa: E402
from tasks.workbook import notice_exporters, write_workbook  # noqa: E402
from tests.perf.xlsx_export_bench import _max_rss_mb  # noqa: E402


def main() -> None:
    notice = Notice.objects.get(committee__name=BIG_COMMITTEE_NAME, issue_number=WORKBOOK_ISSUE)
    before = _max_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "workbook.xlsx")
        wall, cpu = time.perf_counter(), time.process_time()
        with open(path, "wb") as handle:
            write_workbook(notice, handle, report=lambda percent: None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = os.path.getsize(path)
    sheets = [str(exporter.sheet_title or exporter.title) for exporter in notice_exporters(notice)]
    print(
        f"# workbook: {len(sheets)} sheets ({', '.join(sheets)}), {size / 1024:.0f} KiB, "
        f"cpu {cpu:.2f} s, {before:.0f} MB resident before the build",
        flush=True,
    )
    print(f"bench: workbook_1000_s {wall:.2f} s", flush=True)
    print(f"bench: workbook_peak_mb {_max_rss_mb():.1f} MB", flush=True)


if __name__ == "__main__":
    main()
    sys.exit(0)
