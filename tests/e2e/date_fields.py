"""How the browser draws a date field: in which order it shows day, month and year.

Chromium draws a date field's parts (dd-mm-jjjj, mm/dd/yyyy) inside the field, where no
script reaches them; their pseudo-elements can be styled, though. Each part is coloured
its own way and found left to right in a picture of the field.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from PIL import Image  # Pillow: fpdf2's own dependency (layers/billing_core/requirements.txt)

_PART_COLOURS = {"d": "rgb(255, 0, 0)", "m": "rgb(0, 0, 255)", "y": "rgb(0, 160, 0)"}
_PSEUDO = {"d": "day", "m": "month", "y": "year"}


def _part_of(red: int, green: int, blue: int) -> str | None:
    """The part a pixel was painted for, by its one strong channel (the border, the
    calendar icon and the text around are grey or black)."""
    if red > 150 and green < 100 and blue < 100:
        return "d"
    if blue > 150 and red < 100 and green < 100:
        return "m"
    if green > 100 and red < 80 and blue < 80:
        return "y"
    return None


def shown_order(page: Any, selector: str) -> str:
    """The order of the date field's parts as drawn, left to right: "dmy" (Dutch),
    "mdy" (US English). The page must come from a context with ``bypass_csp=True``: the
    pages' Content-Security-Policy forbids the style this adds."""
    page.add_style_tag(
        content=" ".join(
            f"{selector}::-webkit-datetime-edit-{_PSEUDO[part]}-field {{ color: {colour}; }}"
            for part, colour in _PART_COLOURS.items()
        )
    )
    picture = Image.open(BytesIO(page.locator(selector).screenshot())).convert("RGB")
    first_column: dict[str, int] = {}
    for x in range(picture.width):
        for y in range(picture.height):
            part = _part_of(*picture.getpixel((x, y)))
            if part is not None:
                first_column.setdefault(part, x)
    return "".join(sorted(first_column, key=first_column.__getitem__))
