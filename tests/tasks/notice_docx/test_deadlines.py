"""Deadline phrases → dates, relative to the notice's date (fixed here: no clock involved)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.notice_docx.deadlines import chinese_number, deadline_of, find_deadlines

NOTICE = datetime.date(2022, 10, 18)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("于10月31日前报送", "10月31日前", datetime.date(2022, 10, 31)),
        ("于11月底前完成", "11月底前", datetime.date(2022, 11, 30)),
        ("12月20日前完成评估", "12月20日前", datetime.date(2022, 12, 20)),
        ("年底前完成", "年底前", datetime.date(2022, 12, 31)),
        ("月底前报党办", "月底前", datetime.date(2022, 10, 31)),
        ("本周五前报送", "本周五前", datetime.date(2022, 10, 21)),
        ("下周一前报送", "下周一前", datetime.date(2022, 10, 24)),
        ("于 10 月底前进一步完善", "10 月底前", datetime.date(2022, 10, 31)),
        ("于2022年11月底前将相关情况报告党办", "2022年11月底前", datetime.date(2022, 11, 30)),
        ("１１月２０日前", "１１月２０日前", datetime.date(2022, 11, 20)),
        ("十二月二十日前", "十二月二十日前", datetime.date(2022, 12, 20)),
        ("11月上旬前", "11月上旬前", datetime.date(2022, 11, 10)),
        ("截至11月20日", "截至11月20日", datetime.date(2022, 11, 20)),
        ("明年3月底前", "明年3月底前", datetime.date(2023, 3, 31)),
        ("2023年底前", "2023年底前", datetime.date(2023, 12, 31)),
    ],
)
def test_phrase_becomes_a_date_with_its_position(text, phrase, expected):
    [found] = find_deadlines(text, NOTICE)
    assert found.text == phrase
    assert text[found.start : found.end] == phrase
    assert found.date == expected


def test_a_month_already_past_means_next_year():
    [found] = find_deadlines("1月15日前", NOTICE)
    assert found.date == datetime.date(2023, 1, 15)
    [found] = find_deadlines("9月底前", NOTICE)
    assert found.date == datetime.date(2023, 9, 30)


@pytest.mark.parametrize(
    "text", ["及时上报", "支部年度考核前汇报", "尽快完成", "组织生活会前", "收到通知后3个工作日内"]
)
def test_phrases_without_a_date_are_kept_without_one(text):
    [found] = find_deadlines(text, NOTICE)
    assert found.date is None and not found.fixed
    assert found.text in text


def test_an_impossible_date_is_kept_without_one():
    [found] = find_deadlines("2月30日前", NOTICE)
    assert found.text == "2月30日前" and found.date is None


def test_words_that_only_look_like_deadlines_are_not_phrases():
    assert find_deadlines("当前以及目前，此前提前", NOTICE) == []
    assert find_deadlines("长远目标：2023年底，全部实现三星级", NOTICE) == []


def test_the_item_deadline_is_its_first_dated_phrase():
    phrases = find_deadlines("及时将情况于10月底前报送，11月20日前完成", NOTICE)
    assert [p.text for p in phrases] == ["及时", "10月底前", "11月20日前"]
    assert deadline_of(phrases).date == datetime.date(2022, 10, 31)
    assert deadline_of(find_deadlines("及时反馈", NOTICE)).text == "及时"
    assert deadline_of([]) is None


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("一百零二", 102),
        ("12", 12),
    ],
)
def test_chinese_numbers(token, value):
    assert chinese_number(token) == value


_PIECES = st.sampled_from(
    [
        "月",
        "日",
        "前",
        "底",
        "年",
        "本周",
        "下周",
        "五",
        "十",
        "二",
        "9999",
        "0",
        "31",
        "及时",
        "截至",
        "上旬",
    ]
)


@given(
    text=st.one_of(st.text(), st.lists(_PIECES | st.text(max_size=2)).map("".join)),
    notice=st.dates(),
)
def test_find_deadlines_never_raises(text, notice):
    for phrase in find_deadlines(text, notice):
        assert 0 <= phrase.start < phrase.end <= len(text)
        assert text[phrase.start : phrase.end] == phrase.text
