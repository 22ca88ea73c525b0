"""The Excel tests of every attachment form, run for the star self-assessment."""

from __future__ import annotations

import pytest

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
