"""The default rules of branch life (DOMAIN.md §3–§5) as plain data.

``branches.services.rules.ensure_default_rules`` loads them. Migration 0004 keeps its own
frozen copy of the same lists (a migration must not change when this module does); a test
checks that the two still agree, and a change of the defaults that must reach existing
databases comes with a new data migration.
"""

FREQUENCIES = [
    # (meeting type, period, minimum, note)
    ("general_meeting", "quarter", 1, "支部工作条例: 党员大会一般每季度召开1次"),
    ("committee_meeting", "month", 1, "支委会一般每月召开1次"),
    ("group_meeting", "month", 1, "党小组会一般每月召开1次"),
    ("party_lesson", "quarter", 1, "党课一般每季度1次 (practice)"),
    ("themed_day", "month", 1, "每月相对固定1天开展主题党日"),
    ("life_meeting", "year", 1, "组织生活会一般每年召开1次"),
    ("appraisal", "year", 1, "民主评议党员一般每年开展1次"),
    ("talk", "year", 1, "谈心谈话每年至少1次"),
]

VOTING = [("general_meeting", "0.5", "0.5"), ("committee_meeting", "0.5", "0.5")]

# (code, stage, order, name, check, severity, params, effect, due_after_days)
STEPS = [
    ("application", 1, 1, "递交入党申请书", "min_age", "block", {"years": 18}, "", None),
    (
        "talk",
        1,
        2,
        "党组织派人谈话",
        "within",
        "warn",
        {"after": "application", "months": 1},
        "",
        30,
    ),
    (
        "activist",
        2,
        3,
        "推荐和确定入党积极分子",
        "at_least",
        "warn",
        {"after": "application", "months": 6},
        "",
        183,
    ),
    ("activist_filed", 2, 4, "上级党委备案（积极分子）", "", "warn", {}, "", 30),
    ("contacts", 2, 5, "指定培养联系人", "", "warn", {}, "", 30),
    ("cultivation", 2, 6, "培养教育考察（每半年一次）", "", "warn", {"review_months": 6}, "", 183),
    (
        "candidate",
        3,
        7,
        "确定发展对象",
        "at_least",
        "block",
        {"after": "activist", "months": 12},
        "",
        365,
    ),
    ("candidate_filed", 3, 8, "报上级党委备案（发展对象）", "", "warn", {}, "", 30),
    ("introducers", 3, 9, "确定入党介绍人", "introducers", "block", {"count": 2}, "", 30),
    ("political_review", 3, 10, "进行政治审查", "review", "block", {}, "", 60),
    ("training", 3, 11, "开展集中培训", "training", "block", {"days": 3, "hours": 24}, "", 60),
    (
        "committee_review",
        4,
        12,
        "支部委员会审查（含公示）",
        "working_days",
        "warn",
        {"days": 5},
        "",
        30,
    ),
    ("pre_review", 4, 13, "上级党委预审", "", "warn", {}, "", 30),
    ("application_form", 4, 14, "填写入党志愿书", "", "warn", {}, "", 30),
    ("branch_meeting", 4, 15, "支部大会讨论接收预备党员", "", "warn", {}, "", 30),
    ("committee_talk", 4, 16, "上级党委派人谈话", "", "warn", {}, "", 60),
    (
        "approval",
        4,
        17,
        "上级党委审批",
        "approval_window",
        "block",
        {"after": "branch_meeting", "warn_months": 3, "block_months": 6},
        "probationary",
        90,
    ),
    ("approval_filed", 4, 18, "再上级党委组织部门备案", "", "warn", {}, "", 30),
    ("group_assigned", 5, 19, "编入党支部和党小组", "", "warn", {}, "", 30),
    ("oath", 5, 20, "入党宣誓", "", "warn", {}, "", 60),
    ("probation_education", 5, 21, "继续教育考察", "", "warn", {}, "", 183),
    (
        "conversion_request",
        5,
        22,
        "提出转正申请",
        "at_least",
        "warn",
        {"after": "branch_meeting", "months": 11},
        "",
        150,
    ),
    (
        "conversion_meeting",
        5,
        23,
        "支部大会讨论转正",
        "at_least",
        "block",
        {"after": "branch_meeting", "months": 12},
        "",
        30,
    ),
    (
        "conversion_approval",
        5,
        24,
        "上级党委审批转正",
        "within",
        "warn",
        {"after": "conversion_meeting", "months": 3},
        "full",
        90,
    ),
    ("archive", 5, 25, "材料归档", "", "warn", {}, "", 60),
]

RELATION_RULES = [
    ("no_contact", "6 months without contact", 6),
    ("struck_off", "Years after standing was stopped (in months)", 24),
    ("abroad_contact", "Abroad without contact", 6),
    ("letter_validity", "Default validity of a transfer letter", 3),
]


# The numbers of the branch-life rules (LifeRule) and the checks of three development steps
# (DOMAIN.md §3–§5); migration 0010 loaded the same.
LIFE_RULES = [
    # (code, label, value, note)
    (
        "self_departure_months",
        "Months without organisational life before 自行脱党 is flagged",
        6,
        "党章 art. 9",
    ),
    (
        "secretary_lessons_per_year",
        "Party lessons the secretary gives each year",
        1,
        "支部书记每年至少讲1次党课",
    ),
    ("excellent_parts", "Share of 优秀 at most: numerator", 1, "优秀 ≤ 1/3"),
    ("excellent_whole", "Share of 优秀 at most: denominator", 3, "优秀 ≤ 1/3"),
    (
        "committee_from_members",
        "Full members from which a branch elects a committee",
        7,
        "支部工作条例",
    ),
    ("committee_min", "Smallest branch committee", 3, ""),
    ("committee_max", "Largest usual branch committee", 5, ""),
    ("committee_hard_max", "Largest branch committee allowed", 7, ""),
    ("branch_min_members", "Fewest full members of a branch", 3, ""),
    ("branch_max_members", "Most members of a branch, normally", 50, ""),
    ("term_years", "Term of a branch committee (years)", 3, ""),
]

# step code → (check, params), set only where the office has not given the step a check.
STEP_CHECKS = {
    "contacts": ("contacts", {"min": 1, "max": 2}),
    "pre_review": ("not_leaving", {"months": 3}),
    "branch_meeting": ("meeting_vote", {}),
}
