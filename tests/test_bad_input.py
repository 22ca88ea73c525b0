"""Hostile values posted to every form of the portal: never a 500, never script in a page.

For each page of the permission matrix that the office or branch A's secretary can open and
that holds a POST form, the form is filled with hostile values — script, very long text,
control characters, wrong types, ids of objects that do not exist or lie outside the user's
scope — and posted. The answer must be a page with a clear error or a redirect after a valid
save, never a server error; and no page may then contain the injected script unescaped.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.test_permission_matrix import MATRIX

SCRIPT = "<script>alert('x')</script>"
HOSTILE_TEXTS = {
    "script": SCRIPT,
    "long": "长" * 20_000,
    "control": "a\x00b\x07c\x1b[31m",
    "wrong_type": "-1e999; DROP TABLE x",
}
#: Forms that end the session or change the language would end the run, not test input.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


class FormParser(HTMLParser):
    """The POST forms of a page: action and fields (name, tag, type, options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": []})
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            self.forms[-1]["fields"].append(
                {
                    "name": attrs["name"],
                    "tag": tag,
                    "type": attrs.get("type", "text"),
                    "value": attrs.get("value", ""),
                }
            )
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "tag": "select", "type": "select", "options": []}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def hostile_payload(fields: list[dict], text: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for field in fields:
        name, kind = field["name"], field["type"]
        if name == "csrfmiddlewaretoken" or kind in ("submit", "button", "file"):
            continue
        if kind == "hidden":
            # Keep hidden bookkeeping (versions, formset counts) but tamper with ids.
            data[name] = "999999" if name.endswith("id") else field["value"]
        elif kind in ("number", "date"):
            data[name] = text if text != SCRIPT else "abc"
        elif kind == "select":
            data[name] = "999999"  # an object that does not exist or is out of scope
        elif kind == "checkbox":
            data[name] = "on"
        else:
            data[name] = text
    return data


def pages_with_forms(personas):
    for url_name, row in sorted(MATRIX.items()):
        for persona in ("office", "secretary_a"):
            if row.status_for(persona) != 200:
                continue
            url = reverse(url_name, args=row.args(personas))
            yield persona, url


@pytest.mark.django_db
def test_hostile_values_in_every_form(personas):
    checked = 0
    for persona, url in pages_with_forms(personas):
        client = personas.client(persona)
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = form["action"] or url
            if action.startswith(SKIPPED_ACTIONS):
                continue
            for label, text in HOSTILE_TEXTS.items():
                response = client.post(action, hostile_payload(form["fields"], text))
                assert response.status_code < 500, (persona, url, action, label)
                checked += 1
        after = client.get(url)
        if after.status_code == 200:
            assert SCRIPT not in after.content.decode(), (persona, url)
    print(f"{checked} hostile posts checked")
    assert checked > 30, f"only {checked} form posts were checked"
