"""Demo step: attachments 1–3 of notice 2022 No. 3 become their forms, filled for several branches.

Runs after the tasks step. Idempotent: items already switched and forms already present are
left as they are.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from surveys.models import (
    BrandMeasure,
    BrandPlan,
    Concern,
    RectificationItem,
    RectificationList,
    ServiceSurvey,
)
from tasks.models import Assignment, AssignmentStatus, TaskItem

KINDS = {"2": "rectification", "4": "service_survey", "5a": "brand_plan"}
R, C = RectificationItem, Concern

RECTIFICATION = [
    (
        "inspection",
        "组织生活",
        "“三会一课”记录不够规范，个别会议缺少签到表",
        "会议记录规范完整",
        "使用新版支部工作手册统一记录；组织委员每月检查",
        "组织委员",
        "2022-10-31",
        "immediate",
        "closed",
        "10月支委会记录及签到表",
    ),
    (
        "inspection",
        "党员教育",
        "理论学习与科研工作结合不紧",
        "学习与科研深度融合",
        "每季度结合课题组工作开展一次专题研讨",
        "支部书记",
        "2022-12-31",
        "deadline",
        "in_progress",
        "",
    ),
    (
        "self_check",
        "作用发挥",
        "青年党员参与志愿服务比例偏低",
        "青年党员志愿服务全覆盖",
        "建立党员志愿服务积分制度，纳入民主评议",
        "宣传委员",
        "2023-06-30",
        "ongoing",
        "not_started",
        "",
    ),
]
CONCERNS = [
    (
        "2022-11-02",
        "forum",
        "博士后、研究生 15 人",
        "实验楼夜间门禁时间过早，影响长时程实验",
        "research",
        "门禁延长至 23 点，刷卡登记",
        "institute",
    ),
    (
        "2022-11-05",
        "questionnaire",
        "全体职工",
        "食堂晚餐供应时间短，加班人员就餐不便",
        "life",
        "晚餐延长至 19:30",
        "institute",
    ),
    (
        "2022-11-08",
        "talk",
        "青年科研人员 3 人",
        "大型仪器预约规则不透明",
        "research",
        "支部牵头整理预约规则并在组会上讲解",
        "branch",
    ),
]
BRANDS = [
    (
        "红心向党·科研报国",
        "以党建红引领科研强",
        "将党建工作融入科研攻关全过程",
        "细胞生物学研究平台",
    ),
    ("先锋实验室", "亮身份、作表率、攻难关", "党员先锋岗覆盖每个课题组", "分子生物学实验室"),
    ("启明星", "点亮青年科研之路", "青年党员导师制助力成长", "青年科研人员党支部"),
]


def _d(text: str) -> date:
    return date.fromisoformat(text)


def seed_sheets(write=print) -> None:
    switched = 0
    with transaction.atomic():
        for label, kind in KINDS.items():
            switched += (
                TaskItem.objects.filter(
                    label=label, area__notice__year=2022, area__notice__issue_number=3
                )
                .exclude(kind=kind)
                .update(kind=kind)
            )
        filled = 0
        for label, fill in (("2", _rectification), ("4", _survey), ("5a", _brand)):
            assignments = (
                Assignment.objects.filter(
                    item__label=label,
                    item__area__notice__year=2022,
                    item__area__notice__issue_number=3,
                )
                .exclude(status=AssignmentStatus.PENDING)
                .select_related("branch")
                .order_by("branch__path")
            )
            for index, assignment in enumerate(assignments):
                filled += fill(assignment, index)
    write(f"  attachment forms: {switched} items switched, {filled} forms filled")


def _rectification(assignment, index) -> int:
    sheet, created = RectificationList.objects.get_or_create(
        assignment=assignment, defaults={"notes": "对照上海分院党建督查反馈意见逐条整改。"}
    )
    if not created:
        return 0
    for n, row in enumerate(RECTIFICATION[: 2 + index % 2], 1):
        source, category, problem, goal, measures, owner, deadline, term, status, evidence = row
        RectificationItem.objects.create(
            sheet=sheet,
            position=n,
            source=source,
            category=category,
            problem=problem,
            goal=goal,
            measures=measures,
            owner=owner,
            committee_owner="联系党委委员",
            deadline=_d(deadline),
            term=term,
            status=status,
            evidence=evidence,
            meeting_date=date(2022, 10, 20 + index % 8),
        )
    return 1


def _survey(assignment, index) -> int:
    sheet, created = ServiceSurvey.objects.get_or_create(assignment=assignment)
    if not created:
        return 0
    for n, row in enumerate(CONCERNS[index % 2 :], 1):
        day, method, people, concern, category, suggestion, solver = row
        Concern.objects.create(
            sheet=sheet,
            position=n,
            date=_d(day),
            method=method,
            people=people,
            concern=concern,
            category=category,
            suggestion=suggestion,
            solver=solver,
            sent_on=_d(day),
            handling="deadline" if solver == "branch" else "",
            owner="支部书记" if solver == "branch" else "",
        )
    return 1


def _brand(assignment, index) -> int:
    name, slogan, meaning, department = BRANDS[index % len(BRANDS)]
    sheet, created = BrandPlan.objects.get_or_create(
        assignment=assignment,
        defaults={
            "secretary": "支部书记",
            "member_count": 18 + index,
            "department": department,
            "brand_name": name,
            "slogan": slogan,
            "meaning": meaning,
            "research_link": "围绕重点科研任务设立党员攻关小组",
            "goals": "一年内形成可复制的党建与科研融合经验",
            "expected_results": "党员先锋岗全覆盖，形成品牌活动 2 项",
            "meeting_date": date(2022, 10, 25),
        },
    )
    if not created:
        return 0
    for n, (measure, day, owner, output) in enumerate(
        [
            ("召开支委会研究品牌创建方案", "2022-10-25", "支部书记", "创建方案 1 份"),
            ("每季度举办一次科研沙龙", "2022-12-31", "组织委员", "沙龙 4 期"),
            ("党员先锋岗挂牌并公开承诺", "2023-03-31", "宣传委员", "先锋岗 5 个"),
        ],
        1,
    ):
        BrandMeasure.objects.create(
            sheet=sheet, position=n, measure=measure, milestone=_d(day), owner=owner, output=output
        )
    return 1
