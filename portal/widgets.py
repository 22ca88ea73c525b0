"""Form widgets."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

#: A browser date picker whose value round-trips (ISO dates, what <input type="date"> sends).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A <select> rendered in Python, not through one template per option.

    Django renders each option through a template; with a thousand branches in a filter that
    alone takes most of a page's time. Single choice, no option groups. For a model choice
    field whose queryset offers ``choice_labels()`` (pairs of primary key and label), the
    options are read with that one query instead of building a model instance per option.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value)
        options = []
        for key, label in self._pairs():
            key = str(key)
            mark = " selected" if key == selected else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        return format_html(
            "<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options))
        )

    def _pairs(self):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator) and hasattr(choices.queryset, "choice_labels"):
            empty_label = choices.field.empty_label
            if empty_label is not None:
                yield ("", empty_label)
            yield from choices.queryset.choice_labels()
            return
        for key, label in self.choices:
            yield (getattr(key, "value", key), label)
