"""Request and file helpers shared by the sheet tests (their data builders are in
``tests.builders``)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook


def detail(assignment) -> str:
    return reverse("tasks:assignment_detail", args=[assignment.pk])


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rows_post(rows: list[dict], *, header: dict | None = None, action="save", version=1, initial=0):
    """POST data of a sheet form: header fields (prefix h) and rows (prefix rows)."""
    data = {"action": action, "version": str(version), **management("rows", len(rows), initial)}
    for key, value in (header or {}).items():
        data[f"h-{key}"] = value
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{index}-{key}"] = value
    return data


def sheet_values(data: bytes):
    """The workbook's only sheet."""
    return load_workbook(io.BytesIO(data)).worksheets[0]
