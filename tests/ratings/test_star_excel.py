"""The Excel tests of every attachment form, run for the star self-assessment."""

from __future__ import annotations

import pytest

from portal.xlsx import write_xlsx
from portal.xlsx_import import read_xlsx
from ratings.models import StarSelfAssessment
from tasks.kinds import get_kind
from tests.surveys.test_sheet_excel import (  # noqa: F401 - collected here for this kind
    good,
    source,
    target,
    test_bad_file_is_refused_and_nothing_is_saved,
    test_blank_template_has_the_same_layout,
    test_export_layout,
    test_exporter_is_registered,
    test_formula_like_text_is_exported_as_text,
    test_import_refused_once_submitted,
    test_round_trip_export_then_import_gives_the_same_data,
    test_script_text_is_kept_as_text_and_escaped,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind():
    return "star_self_assessment"


def test_header_and_footer_fields_round_trip(personas, source, target):  # noqa: F811
    """Export → import gives the same header values (the read-only ones are shown, not kept)."""
    kind = get_kind("star_self_assessment")
    StarSelfAssessment.objects.filter(assignment=source).update(
        committee_members="组织委员、宣传委员",
        full_members=18,
        probationary_members=2,
        gaps="加强学习",
    )
    result = read_xlsx(kind.import_spec(), write_xlsx(kind.exporter(source)))
    assert result.ok, result.errors
    read = {**result.header, **result.footer}
    expected = kind.export_fields(source)
    assert {k: read[k] for k in expected} == {
        k: (str(v) if k == "service" else v) for k, v in expected.items()
    }
    assert read["yes_count"] == 15 and read["self_star"] == 4
    assert len(result.rows) == 20
    assert kind.check_fields(read) == []
    assert [e.column for e in kind.check_fields({"self_star": 6})] == ["Self-assessed star (2–5)"]
    kind.apply_import(target, result.rows, read)
    copied = StarSelfAssessment.objects.get(assignment=target)
    assert (copied.full_members, copied.gaps, copied.self_star) == (18, "加强学习", 4)
