"""`manage.py parse_notice FILE.docx`: the proposed draft as JSON; exit 1 for a refused file."""

import json

import pytest
from django.core.management import call_command

from tasks.management.commands.parse_notice import Command
from tests.tasks.notice_docx.builders import seed_docx


def test_prints_the_draft_as_json(tmp_path, capsys):
    path = tmp_path / "notice.docx"
    path.write_bytes(seed_docx())
    call_command("parse_notice", str(path))
    draft = json.loads(capsys.readouterr().out)
    assert (draft["title"], draft["number"], draft["date"]) == ("党支部工作提示", 3, "2022-10-18")
    assert [a["number"] for a in draft["areas"]] == [1, 2, 3, 4, 5, 6, 7]
    two = draft["areas"][1]
    assert set(two) >= {"number", "title", "body", "areas", "items"}
    [item] = two["items"]
    assert (item["deadline"], item["deliverable"]) == ("2022-10-31", "rectification")
    assert item["deadline_phrase"] == "10月底前" and item["no_fixed_deadline"] is False
    assert [s["title"][:6] for s in draft["areas"][4]["areas"]] == [
        "深入开展“一",
        "开展“四强·",
        "坚持落实好“",
    ]
    assert draft["attachments"][4] == {
        "number": 5,
        "title": "中国科学院党的建设工作领导小组办公室关于进一步规范党员组织关系管理的通知",
        "deliverable": None,
    }


def test_date_option_sets_the_notice_date(tmp_path, capsys):
    path = tmp_path / "notice.docx"
    path.write_bytes(seed_docx())
    call_command("parse_notice", str(path), "--date", "2022-11-05")
    draft = json.loads(capsys.readouterr().out)
    assert draft["areas"][0]["items"][0]["deadline"] == "2023-10-31"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("macro.docm", seed_docx(), "macros"),
        ("broken.docx", b"PK\x03\x04broken", "damaged"),
        ("missing.docx", None, "No such file"),
    ],
)
def test_a_refused_file_exits_1_with_one_line(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "parse_notice", str(path)])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
