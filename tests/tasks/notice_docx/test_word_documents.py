"""Notices as Word really stores them: automatic numbering, tables, signature blocks."""

import datetime

import docx
import pytest

from tasks.notice_docx import parse_notice
from tasks.notice_docx.numbering import Numbering, chinese_counting, format_number
from tasks.notice_docx.reading import read_paragraphs
from tests.tasks.notice_docx.builders import docx_bytes, handmade_docx, level, numbering_xml, p

D = datetime.date
OUTLINE = [
    level(0, "chineseCounting", "%1、"),
    level(1, "chineseCounting", "（%2）"),
    level(2, "decimal", "%3."),
]
NUMBERING = numbering_xml(
    {
        0: OUTLINE,
        1: [level(0, "bullet", "\uf0b7")],
        2: [level(0, "decimal", "%1．")],
    },
    {1: (0, ""), 2: (1, ""), 3: (2, "")},
)
BODY = "".join(
    [
        p("党支部工作提示"),
        p("（第5期，2023年3月1日）"),  # full-width brackets and comma
        p("现就近期工作提示如下："),
        p("加强理论学习", (1, 0)),
        p("3月底前组织一次集中学习", (1, 2)),
        p("年底前完成全年学习计划", (1, 2)),
        p("做好组织建设", (1, 0)),
        p("规范“三会一课”", (1, 1)),
        p("每月召开一次支委会", (1, 2)),
        p("本周五前报送学习计划（附件2）", (1, 2)),
        p("开展星级评估", (1, 1)),
        p("4月20日前完成自评，填写《党支部星级自评表》", (1, 2)),
        p("及时上报评估中发现的问题", (2, 0)),
        p("附件："),
        p("《党支部星级自评表》", (3, 0)),
        p("《学习计划参考》", (3, 0)),
    ]
)


def test_displayed_numbers_of_automatic_lists():
    labels = [x.label for x in read_paragraphs(handmade_docx(BODY, NUMBERING), "n.docx")]
    assert labels == [
        "", "", "",
        "一、", "1.", "2.",
        "二、", "（一）", "1.", "2.", "（二）", "1.", "•",
        "", "1．", "2．",
    ]  # fmt: skip


def test_automatic_numbering_gives_areas_sub_areas_items_and_attachments():
    draft = parse_notice(handmade_docx(BODY, NUMBERING), "n.docx")
    assert (draft.title, draft.number, draft.date) == ("党支部工作提示", 5, D(2023, 3, 1))
    study, organisation = draft.areas
    assert (study.number, study.title, organisation.number) == (1, "加强理论学习", 2)
    assert [(i.text, i.deadline) for i in study.items] == [
        ("3月底前组织一次集中学习", D(2023, 3, 31)),
        ("年底前完成全年学习计划", D(2023, 12, 31)),
    ]
    meetings, stars = organisation.areas
    assert (meetings.number, meetings.title, stars.number) == (1, "规范“三会一课”", 2)
    assert [(i.text, i.deadline, i.attachments) for i in meetings.items] == [
        ("每月召开一次支委会", None, []),
        ("本周五前报送学习计划（附件2）", D(2023, 3, 3), [2]),  # the notice is of a Wednesday
    ]
    assert meetings.items[1].deliverable is None  # 附件2 is a reference document
    assert [(i.text[:6], i.deadline, i.deliverable) for i in stars.items] == [
        ("4月20日前", D(2023, 4, 20), "star_self_assessment"),
        ("及时上报评估", None, None),
    ]
    assert stars.items[1].no_fixed_deadline
    assert [a.as_dict() for a in draft.attachments] == [
        {"number": 1, "title": "党支部星级自评表", "deliverable": "star_self_assessment"},
        {"number": 2, "title": "学习计划参考", "deliverable": None},
    ]


def test_level_restarts_and_start_overrides():
    numbering = numbering_xml(
        {
            0: [level(0, "decimal", "%1."), level(1, "decimal", "%1.%2", restart=0)],
            1: [level(0, "chineseCounting", "%1、", start=3)],
        },
        {
            1: (0, ""),
            2: (1, ""),
            3: (1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'),
        },
    )
    body = "".join(
        p(t, n)
        for t, n in [
            ("a", (1, 0)),
            ("b", (1, 1)),
            ("c", (1, 0)),
            ("d", (1, 1)),
            ("e", (2, 0)),
            ("f", (2, 0)),
            ("g", (3, 0)),
        ]
    )
    labels = [x.label for x in read_paragraphs(handmade_docx(body, numbering), "n.docx")]
    # lvlRestart 0: the second level never restarts; instance 3 restarts its shared list at 1.
    assert labels == ["1.", "1.1", "2.", "2.2", "三、", "四、", "一、"]


def test_number_formats():
    assert [chinese_counting(n) for n in (1, 10, 11, 20, 21, 99, 100, 101, 110)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零一", "一百一十",
    ]  # fmt: skip
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"
    assert Numbering().next_label("1", 0) is None  # no definitions: shown as typed


def test_tables_signature_and_routing_lines():
    document = docx.Document()
    document.add_paragraph("中共某某研究所委员会")
    document.add_paragraph("关于做好年终党建工作的通知")
    document.add_paragraph("主送：各党支部")
    document.add_paragraph("一、年终总结")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("序号", "工作内容", "完成时限"),
            ("1", "报送支部年度工作总结", "12月20日前"),
            ("2", "召开组织生活会", "年底前"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("二、党费收缴")
    document.add_paragraph("(一) 核对党费基数")  # half-width brackets
    run = document.add_paragraph("请各支部于11月30日前")
    run.add_run("完成党费基数核对。")  # the sentence in two runs
    signature = document.add_table(rows=1, cols=2)
    signature.rows[0].cells[0].text = "中共某某研究所委员会"
    signature.rows[0].cells[1].text = "2022年11月2日"
    document.add_paragraph("抄送：院机关党委")

    draft = parse_notice(docx_bytes(document), "t.docx")
    assert draft.title == "关于做好年终党建工作的通知"
    assert draft.issuer == "中共某某研究所委员会"
    assert draft.date == D(2022, 11, 2)
    assert draft.recipients == ["主送：各党支部", "抄送：院机关党委"]
    summary, dues = draft.areas
    assert summary.body == "序号 工作内容 完成时限"
    assert [(i.text, i.deadline) for i in summary.items] == [
        ("报送支部年度工作总结 12月20日前", D(2022, 12, 20)),
        ("召开组织生活会 年底前", D(2022, 12, 31)),
    ]
    [check] = dues.areas
    assert check.title == "核对党费基数"
    assert [(i.text, i.deadline) for i in check.items] == [
        ("请各支部于11月30日前完成党费基数核对。", D(2022, 11, 30))
    ]
    # Neither the signature nor the routing lines become tasks.
    assert len(draft.all_items()) == 3
    assert "2022年11月2日" not in check.body


def test_attachment_list_at_the_end_and_references_in_text():
    document = docx.Document()
    document.add_paragraph("党支部工作提示（第1期）")
    document.add_paragraph("2023年1月5日")
    document.add_paragraph("一、整改落实")
    document.add_paragraph("1．对照问题清单逐条整改（附件1），1月底前报党办。")
    document.add_paragraph("2．填写调研情况表（见附件 2）。")
    document.add_paragraph("附件：1.《支部整改问题及举措清单》")
    document.add_paragraph("2.《“我为群众办实事”调研情况表》")
    document.add_paragraph("3.《有关文件汇编》")
    document.add_paragraph("中心党委")
    document.add_paragraph("2023年1月5日")
    document.add_paragraph("附件1")  # the attachments' own pages follow the signature
    document.add_paragraph("整改问题及举措清单（表格）")
    draft = parse_notice(docx_bytes(document), "a.docx")
    assert (draft.title, draft.number, draft.date) == ("党支部工作提示", 1, D(2023, 1, 5))
    assert [(a.number, a.title, a.deliverable) for a in draft.attachments] == [
        (1, "支部整改问题及举措清单", "rectification"),
        (2, "“我为群众办实事”调研情况表", "service_survey"),
        (3, "有关文件汇编", None),
    ]
    [area] = draft.areas
    assert [(i.deadline, i.deliverable, i.attachments) for i in area.items] == [
        (D(2023, 1, 31), "rectification", [1]),
        (None, "service_survey", [2]),
    ]


def test_hostile_numbering_values_stay_bounded():
    numbering = numbering_xml(
        {0: [level(0, "lowerLetter", "%1)", start=999_999_999), level(1, "bogus", "%9%2")]},
        {1: (0, "")},
    )
    body = p("a", (1, 0)) + p("b", (1, 1)) + p("c", (1, 12)) + p("d", (7, 0))
    labels = [x.label for x in read_paragraphs(handmade_docx(body, numbering), "n.docx")]
    assert labels == ["999999999)", "11", "", ""]


@pytest.mark.clock(at=datetime.datetime(2024, 11, 20, 9, 0, tzinfo=datetime.UTC))
def test_a_notice_without_a_date_counts_from_today():
    document = docx.Document()
    document.add_paragraph("党支部工作提示")
    document.add_paragraph("一、年终工作")
    document.add_paragraph("1.月底前报送总结；2月底前完成换届。")
    [item] = parse_notice(docx_bytes(document), "undated.docx").areas[0].items
    assert item.deadline == D(2024, 11, 30)
    assert [p.date for p in item.phrases] == [D(2024, 11, 30), D(2025, 2, 28)]
