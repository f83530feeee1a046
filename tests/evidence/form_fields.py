"""What a form on a page shows in its fields: the values a browser would send back as they are,
and the message beside a field. Test helper, shared by the evidence and actor form tests."""

from __future__ import annotations

import html
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.values: dict[str, str] = {}
        self.files: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        posted = a.get("method") == "post" and a.get("action") == self.form_id
        if tag == "form" and (a.get("id") == self.form_id or posted):
            self.inside = self.found = True
        if not self.inside or "name" not in a:
            if tag == "option" and self.inside and self._select and "selected" in a:
                self.values[self._select] = a.get("value", "")
            return
        name = a["name"]
        if tag == "input" and a.get("type") == "file":
            self.files.append(a.get("value", ""))
        elif tag == "input" and a.get("type") == "checkbox":
            if "checked" in a:
                self.values[name] = a.get("value", "on")
        elif tag == "input" and name != "csrf_token":
            self.values[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(page: str, form: str) -> dict[str, str]:
    """The fields of the form with this id (or that posts to this address) as shown: each text
    field's value, each select's chosen option (empty if none is marked), each ticked box;
    file inputs, which cannot be refilled, are checked to be empty."""
    parser = _Form(form)
    parser.feed(page)
    assert parser.found, f"no form {form} on the page"
    assert all(not value for value in parser.files), "a file input was given a value"
    return parser.values


def field_error(page: str, name: str) -> str:
    """The message shown beside a field, which the field points to (aria-describedby)."""
    assert f'aria-describedby="{name}-error"' in page, f"{name} is not marked as refused"
    start = page.index(f'id="{name}-error"')
    return html.unescape(page[page.index(">", start) + 1 : page.index("</p>", start)])
