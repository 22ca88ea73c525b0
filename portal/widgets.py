"""Form widgets."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape as escape_text

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

#: A browser date picker whose value round-trips (ISO dates, what <input type="date"> sends).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlainChoices(BaseChoiceIterator):
    """Choices already in their final form, (value, label) pairs without groups: given as such,
    the field and its widget take them as they are. Given a list, Django normalises it twice
    (on the field, then on the widget), a few thousand type checks for a thousand branches."""

    def __init__(self, pairs: list[tuple]) -> None:
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


class FastSelect(forms.Select):
    """A <select> rendered in Python, not through one template per option.

    Django renders each option through a template; with a thousand branches in a filter that
    alone takes most of a page's time. Single choice, no option groups. For a model choice
    field whose queryset offers ``choice_labels()`` (pairs of primary key and label), the
    options are read with that one query instead of building a model instance per option; any
    other queryset is read with one plain query (Django's choices iterate a server-side
    cursor: three round trips on PostgreSQL for a handful of rows).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value)
        # The standard library's escape on plain strings: Django's escape() checks for lazy
        # arguments and wraps its result on each of the thousand calls. A primary key needs none.
        options = [
            f'<option value="{key if key.isdigit() else escape_text(key)}"'
            f"{' selected' if key == selected else ''}>{escape_text(label)}</option>"
            for key, label in self._pairs()
        ]
        return format_html(
            "<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options))
        )

    def _pairs(self) -> Iterator[tuple[str, str]]:
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            if field.empty_label is not None:
                yield ("", str(field.empty_label))
            if hasattr(choices.queryset, "choice_labels"):
                for key, label in choices.queryset.choice_labels():
                    yield (str(key), str(label))
                return
            for obj in choices.queryset:
                key, label = choices.choice(obj)
                yield (str(getattr(key, "value", key)), str(label))
            return
        for key, label in choices:
            yield (str(getattr(key, "value", key)), str(label))
