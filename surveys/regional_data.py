"""The surveys' part of the regional synthetic data (``manage.py build_regional_data``): in the
workbook's notice of every committee (``WORKBOOK_ISSUE``, all handed in) the first three items
become attachments 1–3, and every branch's form is filled with the demo's rows, so the
Shanghai Branch workbook measured by ``make bench`` carries every form sheet.

Runs after the tasks step (INSTALLED_APPS order); rows are written in bulk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from portal.regional_data import RegionalData
from surveys.demo import BRANDS, CONCERNS, RECTIFICATION
from surveys.models import (
    BrandMeasure,
    BrandPlan,
    Concern,
    RectificationItem,
    RectificationList,
    ServiceSurvey,
)
from tasks.regional_data import switch_workbook_items, workbook_assignment_ids

BATCH = 5000
#: The workbook notice's items (by position) that become each form.
FORM_ITEMS = {"rectification": 0, "service_survey": 1, "brand_plan": 2}


def build_regional_forms(data: RegionalData, write: Callable[[str], None]) -> None:
    items = {
        kind: switch_workbook_items(data, position, kind) for kind, position in FORM_ITEMS.items()
    }
    rect = RectificationList.objects.bulk_create(
        [
            RectificationList(assignment_id=pk, notes="对照党建督查反馈意见逐条整改。")
            for pk in workbook_assignment_ids(items["rectification"])
        ],
        batch_size=BATCH,
    )
    RectificationItem.objects.bulk_create(
        [
            RectificationItem(
                sheet=sheet,
                position=n,
                source=row[0],
                category=row[1],
                problem=row[2],
                goal=row[3],
                measures=row[4],
                owner=row[5],
                committee_owner="联系党委委员",
                deadline=date.fromisoformat(row[6]),
                term=row[7],
                status=row[8],
                evidence=row[9],
            )
            for sheet in rect
            for n, row in enumerate(RECTIFICATION, 1)
        ],
        batch_size=BATCH,
    )
    surveys = ServiceSurvey.objects.bulk_create(
        [
            ServiceSurvey(assignment_id=pk)
            for pk in workbook_assignment_ids(items["service_survey"])
        ],
        batch_size=BATCH,
    )
    Concern.objects.bulk_create(
        [
            Concern(
                sheet=sheet,
                position=n,
                date=date.fromisoformat(row[0]),
                method=row[1],
                people=row[2],
                concern=row[3],
                category=row[4],
                suggestion=row[5],
                solver=row[6],
                sent_on=date.fromisoformat(row[0]),
            )
            for sheet in surveys
            for n, row in enumerate(CONCERNS, 1)
        ],
        batch_size=BATCH,
    )
    plans = BrandPlan.objects.bulk_create(
        [
            BrandPlan(
                assignment_id=pk,
                secretary="支部书记",
                member_count=18 + index % 20,
                department=BRANDS[index % len(BRANDS)][3],
                brand_name=BRANDS[index % len(BRANDS)][0],
                slogan=BRANDS[index % len(BRANDS)][1],
                meaning=BRANDS[index % len(BRANDS)][2],
                goals="一年内形成可复制的党建与科研融合经验",
            )
            for index, pk in enumerate(workbook_assignment_ids(items["brand_plan"]))
        ],
        batch_size=BATCH,
    )
    BrandMeasure.objects.bulk_create(
        [
            BrandMeasure(sheet=plan, position=n, measure=measure, owner="支部书记")
            for plan in plans
            for n, measure in enumerate(
                ("每季度开展一次联学共建", "党员先锋岗挂牌", "青年党员导师制"), 1
            )
        ],
        batch_size=BATCH,
    )
    write(f"  forms: {len(rect)} rectification lists, {len(surveys)} surveys, {len(plans)} plans")
