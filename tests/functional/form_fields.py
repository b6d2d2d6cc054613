"""A page's form fields as a browser reads them: each field's attributes by its id, a
textarea's text as its value, and ``checked`` only where the markup ticks a box."""

from __future__ import annotations

from html.parser import HTMLParser

FIELDS = ("input", "select", "textarea")


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict[str, str | None]] = {}
        self.select: dict[str, str | None] | None = None
        self.textarea: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in FIELDS and found.get("id"):
            self.fields[str(found["id"])] = found
            self.select = found if tag == "select" else None
            self.textarea = found if tag == "textarea" else None
            if tag == "textarea":
                found["value"] = ""
        elif tag == "option" and self.select is not None and "selected" in found:
            self.select["value"] = found.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("select", "textarea"):
            self.select = self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["value"] = (self.textarea["value"] or "") + data


def form_fields(html: str) -> dict[str, dict[str, str | None]]:
    """{id: {attribute: value}} of every input, select and textarea with an id; a select's
    "value" is its selected option's, a textarea's its text."""
    parser = _Fields()
    parser.feed(html)
    return parser.fields


def marked_invalid(html: str) -> set[str]:
    """The ids of the fields a screen reader announces as invalid."""
    return {i for i, a in form_fields(html).items() if a.get("aria-invalid") == "true"}
