"""三会一课 compliance computed from the meeting records against ``FrequencyRule`` rows.

``compliance_summary(branch, year)`` is what other apps call (star self-assessment, dashboard).
A period counts once it has ended (or, while it runs, once it is met); periods before the
branch was founded are not due.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import FrequencyRule, MeetingRecord, MeetingType, Period


def periods_of(period: str, year: int) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each month, quarter or the year."""
    if period == Period.MONTH:
        starts = [date(year, m, 1) for m in range(1, 13)]
        labels = [_("Month %(month)s") % {"month": m} for m in range(1, 13)]
    elif period == Period.QUARTER:
        starts = [date(year, m, 1) for m in (1, 4, 7, 10)]
        labels = [f"Q{q}" for q in range(1, 5)]
    else:
        starts, labels = [date(year, 1, 1)], [str(year)]
    ends = [s - timedelta(days=1) for s in starts[1:]] + [date(year, 12, 31)]
    return list(zip(labels, starts, ends, strict=True))


def _meeting_days(branch, year: int) -> dict[str, list[date]]:
    days: dict[str, list[date]] = defaultdict(list)
    rows = (
        MeetingRecord.objects.for_branch(branch)
        .in_year(year)
        .values_list("date", "meeting_type", "also_counts_as")
    )
    for day, meeting_type, also in rows:
        for counted in {meeting_type, *(also or [])}:
            days[counted].append(day)
    return days


def compliance_summary(branch, year: int, today: date | None = None) -> dict:
    """Per rule and period: meetings held against the minimum, and the gaps.

    Returns ``{"year", "rules": [...], "due", "met", "gaps", "ratio", "compliant"}``; each rule
    has ``meeting_type``, ``label``, ``period``, ``minimum`` and ``periods`` (label, start, end,
    count, state: "met" / "gap" / "open" / "not_due").
    """
    today = today or timezone.localdate()
    rules = FrequencyRule.objects.active().for_service(branch.service)
    days = _meeting_days(branch, year)
    founded = branch.founded_on
    labels = dict(MeetingType.choices)
    result_rules, due_total, met_total, gaps = [], 0, 0, []
    for rule in rules:
        periods = []
        for label, start, end in periods_of(rule.period, year):
            count = sum(1 for d in days.get(rule.meeting_type, ()) if start <= d <= end)
            met = count >= rule.minimum
            if founded and end < founded:
                state = "not_due"
            elif end < today:
                state = "met" if met else "gap"
            elif start <= today:
                state = "met" if met else "open"
            else:
                state = "met" if met else "not_due"
            if state in ("met", "gap"):
                due_total += 1
                met_total += state == "met"
            if state == "gap":
                gaps.append(f"{labels.get(rule.meeting_type, rule.meeting_type)} {label}")
            periods.append(
                {"label": label, "start": start, "end": end, "count": count, "state": state}
            )
        result_rules.append(
            {
                "meeting_type": rule.meeting_type,
                "label": str(labels.get(rule.meeting_type, rule.meeting_type)),
                "period": rule.period,
                "minimum": rule.minimum,
                "periods": periods,
                "gaps": sum(1 for p in periods if p["state"] == "gap"),
            }
        )
    return {
        "year": year,
        "rules": result_rules,
        "due": due_total,
        "met": met_total,
        "gaps": gaps,
        "ratio": (met_total / due_total) if due_total else 1.0,
        "compliant": not gaps,
    }


def month_grid(summary: dict) -> list[dict]:
    """Rows for the month grid: each rule's periods spread over 12 month columns."""
    rows = []
    for rule in summary["rules"]:
        cells = []
        for period in rule["periods"]:
            span = period["end"].month - period["start"].month + 1
            cells.append({**period, "span": span})
        rows.append({**rule, "cells": cells})
    return rows
