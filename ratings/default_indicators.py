"""The default indicators and goal: the placeholder indicator set of DOMAIN §2, labelled as
such (the official list of the 20 indicators is not public, so the office replaces these texts
in the indicator-set page). Plain data, no imports: migrations 0002, 0005 and 0007 read it, and
``ratings.indicator_sets.load_default_indicators`` loads it.

The goal is the seed notice's long-term goal (every in-service branch at least 3 stars by the
end of 2023); migration 0007 gives each committee a ``StarGoal`` row with it, and a committee
that has none yet shows it (``ratings.results.goals_of``)."""

from __future__ import annotations

YEAR = 2022
TITLE = "占位指标（示例，待党委载入正式指标清单）"
INDICATORS = [
    ("political", "每月开展理论学习"),
    ("political", "每月开展主题党日活动"),
    ("political", "按期召开年度组织生活会并开展民主评议党员"),
    ("political", "党课每季度至少一次，支部书记每年至少讲一次党课"),
    ("political", "无违反政治纪律的情况"),
    ("committee", "支部委员会设置齐全并按期换届（任期3年）"),
    ("committee", "支委会每月召开"),
    ("committee", "支部书记向联系党委委员汇报年度“三会一课”情况"),
    ("committee", "支委分工明确并履职到位"),
    ("committee", "按要求完成上级部署的整改事项"),
    ("membership", "党员大会每季度召开"),
    ("membership", "党小组会每月召开"),
    ("membership", "党费按时足额缴纳"),
    ("membership", "无失联党员、“口袋”党员未处置的情况"),
    ("membership", "发展党员程序合规"),
    ("role", "“我为群众办实事”事项按期办结并反馈"),
    ("role", "“一支部一品牌”创建计划落实到位"),
    ("role", "党建与科研工作深度融合，有具体成效"),
    ("role", "党员在科研攻关中发挥先锋模范作用"),
    ("role", "无违纪违规情况"),
]

GOAL_STAR = 3
GOAL_YEAR = 2023
