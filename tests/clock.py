"""Fixed instants for the tests that depend on the time of day or on the date.

Such a test is marked ``clock``: ``make test`` runs the marked tests a second time with the
machine's clock at 23:30 Beijing time, so that they must pass at any hour. ``clock(at=...)``
also fixes the test's clock there with time-machine (see ``_fixed_clock`` in conftest.py), for
the test's fixtures too; a test marked ``clock`` alone moves it itself (the ``time_machine``
fixture), or, when its worker processes read the clock (a fake clock stays in its process),
writes the data that makes the hour irrelevant, such as a reminder policy without quiet hours.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

#: A Monday morning in mid-June: outside the quiet hours (21:00-08:00), far from a month end.
WORKDAY_MORNING = datetime(2026, 6, 15, 10, 0, tzinfo=BEIJING)
