"""The seed notice, typed into Word as the office does, read back area by area."""

import datetime

import pytest

from tasks.kinds import all_kinds
from tasks.notice_docx import parse_notice
from tasks.notice_docx.attachments import KIND_KEYWORDS
from tests.tasks.notice_docx.builders import seed_docx


@pytest.fixture(scope="module")
def draft():
    return parse_notice(seed_docx(), "第3期工作提示.docx")


def test_header(draft):
    assert draft.title == "党支部工作提示"
    assert draft.issuer == "中共中国科学院分子细胞科学卓越创新中心委员会"
    assert draft.number == 3
    assert draft.date == datetime.date(2022, 10, 18)
    assert draft.introduction.startswith("根据院党组、上级党组织各项工作部署")


def test_areas_and_sub_areas(draft):
    assert [(a.number, a.title) for a in draft.areas] == [
        (1, "深入开展党的二十大精神学习宣贯工作"),
        (2, "落实党建督查党支部相关问题的整改"),
        (3, "深入开展弘扬科学家精神专项活动"),
        (4, "持续开展“我为群众办实事”实践活动"),
        (5, "深入开展“基层组织建设见成效”活动"),
        (6, "持续做好政治吸纳和党员发展工作"),
        (7, "党组织关系专项整治工作"),
    ]
    assert [(s.number, s.title) for s in draft.areas[4].areas] == [
        (1, "深入开展“一支部一品牌”创建活动"),
        (2, "开展“四强·星级”党支部评估工作"),
        (3, "坚持落实好“三会一课”制度"),
    ]
    assert all(not a.areas for i, a in enumerate(draft.areas) if i != 4)
    # Text without a task stays the area's text.
    assert draft.areas[0].body.startswith("各党支部要将学习贯彻党的二十大精神")
    assert "以“贯彻党的二十大精神·科技报国新征程”为主线" in draft.areas[0].body
    assert "王应睐星" in draft.areas[2].body and draft.areas[2].items == []
    assert draft.areas[4].areas[1].body.startswith("评估目标：")


def _items(area):
    return [(i.text[:8], i.deadline, i.deadline_phrase, i.deliverable) for i in area.items]


def test_items_deadlines_and_deliverables(draft):
    one, two, _three, four, five, six, seven = draft.areas
    d = datetime.date
    assert _items(one) == [("各党支部于10月", d(2022, 10, 31), "10月底前", None)]
    assert one.items[0].text.endswith("并及时将学习研讨情况上报至党办。")
    assert _items(two) == [("各党支部于10月", d(2022, 10, 31), "10月底前", "rectification")]
    assert _items(four) == [("各支部应将收集到", None, "及时", "service_survey")]
    assert four.items[0].no_fixed_deadline
    brand, stars, meetings = five.areas
    assert _items(brand) == [("各党支部于 10", d(2022, 10, 31), "10 月底前", "brand_plan")]
    assert _items(stars) == [
        ("根据上海分院《关", d(2022, 12, 20), "12 月 20 日前", None),
        ("请各支部于 11", d(2022, 11, 20), "11 月 20 日前", "star_self_assessment"),
    ]
    [meeting] = meetings.items
    assert meeting.deadline is None and meeting.no_fixed_deadline
    assert [p.text for p in meeting.phrases] == ["及时", "年度考核前"]
    assert _items(six) == [("各党支部要将政治", None, "及时", None)]
    assert six.items[0].text.endswith("帮助各党支部进一步梳理工作流程。")
    assert _items(seven) == [("为认真贯彻落实《", d(2022, 11, 30), "2022年11月底前", None)]
    assert seven.items[0].attachments == [5]


def test_phrase_positions_point_into_the_item_text(draft):
    for item in draft.all_items():
        for phrase in item.phrases:
            assert item.text[phrase.start : phrase.end] == phrase.text


def test_attachments_matched_to_forms(draft):
    assert [(a.number, a.deliverable) for a in draft.attachments] == [
        (1, "rectification"),
        (2, "service_survey"),
        (3, "brand_plan"),
        (4, "star_self_assessment"),
        (5, None),  # a reference document the office uploads
    ]
    assert draft.attachments[1].title == "“我为群众办实事” 调研情况表"
    assert draft.attachments[4].title.startswith("中国科学院党的建设工作领导小组办公室")


def test_the_kinds_named_are_registered():
    assert {key for key, _words in KIND_KEYWORDS} <= {kind.key for kind in all_kinds()}


def test_a_given_notice_date_takes_precedence():
    draft = parse_notice(seed_docx(), "seed.docx", notice_date=datetime.date(2022, 12, 5))
    # 10月底前 in a notice of December: next October.
    assert draft.areas[0].items[0].deadline == datetime.date(2023, 10, 31)
