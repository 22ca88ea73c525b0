"""The text of the 2022-10-18 work notice (第3期) as issued: areas, sub-areas, items, attachments.

Data only (tasks.demo loads it). Deadlines follow the notice: "10月底前" is 2022-10-31; "及时"
has no fixed date; "年度考核前" is the day of the year's star rating once its round is opened.
Item 3 names no day ("11月上旬" is the committee's ceremony): the end of November is the
project's reading of it. Items 2, 4, 5a and 5b are the attachment forms of the surveys and
ratings apps (their own demo steps fill them in).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from branches.models import MeetingType
from tasks.models import DeadlineRule

NOTICE_DATE = date(2022, 10, 18)

INTRODUCTION = (
    "根据院党组、上级党组织各项工作部署，为深入学习贯彻党的二十大精神，提升基层党组织建设质量，"
    "加快推进党建科研工作深度融合，现就近期党支部主要工作提示如下："
)


class DemoArea(NamedTuple):
    number: int
    title: str
    body: str
    parent: int | None = None  # the number of the top-level area of a sub-area


class DemoItem(NamedTuple):
    area: int
    label: str
    title: str
    deadline: date | None
    kind: str = "report"
    meeting_type: str = ""
    theme: str = ""
    instructions: str = ""
    rule: str = DeadlineRule.FIXED
    subarea: int | None = None
    report_required: bool = False


class DemoAttachment(NamedTuple):
    number: int
    title: str
    item_label: str
    form_kind: str = ""  # empty: a reference document


AREAS = [
    DemoArea(
        1,
        "深入开展党的二十大精神学习宣贯工作",
        "各党支部要将学习贯彻党的二十大精神作为当前以及长期的重要政治任务，迅速掀起学习贯彻党的"
        "二十大精神的高潮，自觉将思想和行动统一到党的二十大确定的战略部署上来。\n\n"
        "以“贯彻党的二十大精神·科技报国新征程”为主线，通过支部“三会一课”、主题党日等活动形式，"
        "深入学习贯彻习近平总书记作的二十大报告和会议通过的二十大党章等文件，广泛开展学习讨论，"
        "支部书记带头讲党课，聚焦主责主业和党员思想实际，宣贯党的二十大精神，普通党员认真领会并"
        "讨论学习心得；持续开展“奋进新征程、建功新时代”主题实践活动，结合支部工作实际，通过现场"
        "教学、专家辅导、联建共建等形式开展形式多样的学习实践活动；结合“国家事”“国家责”大讨论"
        "活动，组织党员结合个人成长和生活工作实际，谈感受、讲体会、凝共识、促发展。",
    ),
    DemoArea(2, "落实党建督查党支部相关问题的整改", ""),
    DemoArea(
        3,
        "深入开展弘扬科学家精神专项活动",
        "中心党委将于11月上旬组建以老科学家命名的党员突击队，并举办“王应睐星”命名仪式。",
    ),
    DemoArea(
        4,
        "持续开展“我为群众办实事”实践活动",
        "各党支部要探索构建“我为群众办实事”长效机制，继续利用“三会一课”、年度组织生活会等各类"
        "会议，集中征集广大师生员工的“急难愁盼”问题，将重点落在为科研服务、为科研人员服务上；"
        "要积极探索和创新活动形式，灵活利用各类日常场合倾听党员群众呼声。",
    ),
    DemoArea(5, "深入开展“基层组织建设见成效”活动", ""),
    DemoArea(
        1,
        "深入开展“一支部一品牌”创建活动",
        "各支部要利用支委会、党小组会等形式“以点带面”广泛凝聚党员智慧，结合年度支部工作总结和"
        "计划，凝练支部工作成效，在此基础上努力挖掘本支部优势特色，凝练形成有支部特色的党建品牌"
        "和创建目标，结合支部年度重点工作计划统筹推进。",
        parent=5,
    ),
    DemoArea(
        2,
        "开展“四强·星级”党支部评估工作",
        "根据上海分院《关于组织开展四强星级党支部自评估工作的通知》要求，12 月 20 日前完成 12 个"
        "在职党支部的评估工作，具体要求如下：\n\n"
        "评估目标：各基层党支部普遍达到“基础工作扎实、特色品牌突出、创新活力迸发、作用发挥显著”"
        "的建设目标\n\n"
        "评估内容：以“政治功能强”“支部班子强”“党员队伍强”“作用发挥强”及 20 个“是否”为重点指标"
        "\n\n"
        "评估结果：结合 2022 年度支部工作考核情况，中心党委评选出四强“二星级、三星级、四星级、"
        "五星级（不限名额）”党支部，并且有针对性地提出推进“四强支部”建设的相应举措\n\n"
        "长远目标：2023年底，在职党支部全部实现三星级及以上，并形成“‘三星’抓提高、‘四星’重内涵、"
        "‘五星’树标杆”的联动效应",
        parent=5,
    ),
    DemoArea(3, "坚持落实好“三会一课”制度", "", parent=5),
    DemoArea(6, "持续做好政治吸纳和党员发展工作", ""),
    DemoArea(
        7,
        "党组织关系专项整治工作",
        "为认真贯彻落实《中国共产党党员教育管理工作条例》，进一步规范党员党组织关系管理，根据"
        "《中国科学院党的建设工作领导小组办公室关于进一步规范党员组织关系管理的通知》要求，中心"
        "党委现开展党组织关系专项整治工作。",
    ),
]

ITEMS = [
    DemoItem(
        1,
        "1",
        "组织至少一次学习交流活动并上报学习研讨情况",
        date(2022, 10, 31),
        "meeting",
        theme="二十大",
        instructions="各党支部于10月底前至少组织一次学习交流活动，并及时将学习研讨情况上报至党办。",
        report_required=True,
    ),
    DemoItem(
        2,
        "2",
        "召开支委会，报送《党支部相关整改问题及举措》（附件1）",
        date(2022, 10, 31),
        "rectification",
        MeetingType.COMMITTEE_MEETING,
        instructions=(
            "各党支部于10月底前至少召开一次支委会，认真对照上海分院党建督查反馈意见（支部工作部分）"
            "和中心党委整改方案，逐条明确本支部整改落实举措，做到“措施到位”“责任到人”“整改到位”，"
            "并在年度支部总结中就整改落实情况及成效进行汇报。"
        ),
    ),
    DemoItem(
        3,
        "3",
        "开展一次弘扬科学家精神主题党日活动",
        date(2022, 11, 30),
        "meeting",
        MeetingType.THEMED_DAY,
        "科学家精神",
        instructions=(
            "各支部要以此为契机至少开展一次以弘扬科学家精神为主题的党日活动，结合“我是党员·我履职·"
            "我发挥作用”主题党日活动要求，通过支部党员分享交流、支部之间联建共建等形式，讲好老科学家"
            "和身边科学家的故事，弘扬“新时代胰岛素精神”。"
        ),
    ),
    DemoItem(
        4,
        "4",
        "报送《“我为群众办实事”调研情况表》（附件2）",
        None,
        "service_survey",
        rule=DeadlineRule.NONE,
        instructions=(
            "各支部应将收集到的党员群众意见建议及时反馈至党办，中心党委将统筹协调管理部门、工青妇"
            "组织集中解决共性需求和普遍问题，各支部要着力解决支部党员群众反映突出的思想问题和实际"
            "困难，并利用线上线下各类渠道将问题解决情况告知党员群众，让党的群众路线落到实处，让实事"
            "真正办到群众心里去。"
        ),
    ),
    DemoItem(
        5,
        "5a",
        "完善《“一支部一品牌”创建计划表》（附件3）",
        date(2022, 10, 31),
        "brand_plan",
        subarea=1,
        instructions="各党支部于 10 月底前进一步完善《“一支部一品牌”创建计划表》，并报送至党办。",
    ),
    DemoItem(
        5,
        "5b",
        "完成“四强·星级”自评估，填写自评表（附件4）",
        date(2022, 11, 20),
        "star_self_assessment",
        subarea=2,
        instructions=(
            "请各支部于 11 月 20 日前完成自评估，并填写《“四强·星级”党支部自评表》，11 月下旬将组织"
            "支部年度工作总结会议进行交流评议，党委将结合平时掌握情况进行综合研判，确定各党支部的"
            "星级。"
        ),
    ),
    DemoItem(
        5,
        "5c",
        "“三会一课”自查并向联系党委委员汇报",
        None,
        "compliance_self_check",
        rule=DeadlineRule.BEFORE_RATING,
        subarea=3,
        instructions=(
            "各支部要用好本年度下发的新版支部工作手册，认真对照其中关于“三会一课”的制度要求，对本"
            "支部“三会一课”情况进行自查并及时整改，支部年度考核前党支部书记应向联系本支部的党委委员"
            "汇报年度“三会一课”开展情况，进一步提升标准化规范化建设水平。"
        ),
    ),
    DemoItem(
        6,
        "6",
        "报送入党申请人及党员发展情况",
        None,
        "development_report",
        rule=DeadlineRule.NONE,
        instructions=(
            "各党支部要将政治吸纳工作作为长期的政治任务，加强对支部科技骨干的政治引领，配合党委落实"
            "推进好《党委委员联系党外科研骨干制度》，配合党委委员做好走访调研和谈心谈话工作；及时将"
            "本支部递交入党申请书人员情况以及发展党员情况报中心党委，中心党委已制作党员发展工具包，"
            "将结合工作实际组织开展党员发展专题培训，帮助各党支部进一步梳理工作流程。"
        ),
    ),
    DemoItem(
        7,
        "7",
        "报告失联党员、“口袋”党员联络整改情况",
        date(2022, 11, 30),
        "relation_report",
        instructions=(
            "请各支部书记、组织委员高度重视此项工作，并配合党委做好与失联党员、“口袋”党员等人员的"
            "联络沟通工作，督促整改，并于2022年11月底前将相关情况报告党办。"
        ),
    ),
]

ATTACHMENTS = [
    DemoAttachment(1, "党支部相关整改问题及举措", "2", "rectification"),
    DemoAttachment(2, "“我为群众办实事” 调研情况表", "4", "service_survey"),
    DemoAttachment(3, "“一支部一品牌”创建计划表", "5a", "brand_plan"),
    DemoAttachment(4, "“四强·星级”党支部自评表", "5b", "star_self_assessment"),
    DemoAttachment(
        5, "中国科学院党的建设工作领导小组办公室关于进一步规范党员组织关系管理的通知", "7"
    ),
]

#: The reference document of 附件5 as the demo ships it: a short stand-in text (the portal
#: stores whatever file the office uploads; the real notice is not public).
REFERENCE_TEXT = (
    "中国科学院党的建设工作领导小组办公室关于进一步规范党员组织关系管理的通知\n\n"
    "（演示数据：请由党办上传正式文件。）\n"
)
