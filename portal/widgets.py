"""Form widgets."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python, not through one template per option.

    Django renders each option through a template; with a thousand branches in a filter that
    alone takes most of a page's time. Single choice, no option groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) == selected else "", label)
                for key, label in self._pairs()
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    def _pairs(self):
        for key, label in self.choices:
            yield (getattr(key, "value", key), label)
