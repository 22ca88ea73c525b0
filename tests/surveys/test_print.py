"""Each form prints from the browser: an A4 print page with the official title and table."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.builders.kind_fills import FILL
from tests.builders.tasks import form_assignment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["rectification", "service_survey", "brand_plan"])
def test_print_page(personas, kind):
    assignment = form_assignment(personas, kind)
    FILL[kind](assignment)
    html = personas.client("office").get(reverse("surveys:sheet_print", args=[assignment.pk]))
    text = html.content.decode()
    assert "portal/print.css" in text and 'class="sheet-title' in text
    assert "Reporting unit: 甲党支部" in text and "<thead>" in text


def test_print_stylesheet_is_a4_with_repeated_header():
    css = open(finders.find("portal/print.css"), encoding="utf-8").read()
    assert "size: A4 landscape" in css
    assert "table-header-group" in css
