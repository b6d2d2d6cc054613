"""Characters in a patient's or debtor's name, address or e-mail that are not printed as
themselves (R36: printed on the invoice, the letters and the checker page), judged one
way for both formats a declaration comes in: the CSV reader (csv_format) and the Vektis
reader (vektis/reader). Invisible and harmless ones are removed and said (R40); a control
character refuses what holds it (R2)."""

from __future__ import annotations

# Invisible format characters that are harmless to remove from a name or an address
# (names2): a zero width space, a soft hyphen, a word joiner, a zero width no-break space
# (BOM), and the zero width (non-)joiners, which change how letters join, never which.
REMOVED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
REMOVED_CHARACTERS = dict.fromkeys(map(ord, REMOVED))
# Refused besides every other Cc and Cf character: a line or paragraph separator.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def unprinted(cell: str) -> tuple[str, str]:
    """The first character of ``cell`` that is removed, and the first that refuses its
    line ("" for none). A no-break space, private use or unassigned one is kept as it was."""
    from unicodedata import category  # the rare cell only: not at import (#18 (d))

    removed = refused = ""
    for character in cell:
        if character.isprintable():
            continue
        if ord(character) in REMOVED_CHARACTERS:
            removed = removed or character
        elif category(character) in _REFUSED_CATEGORIES:
            return removed, character
    return removed, refused


def character_name(character: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE), U+0007: how a finding names a character."""
    from unicodedata import name  # a finding's rare path only (#18 (d))

    described = name(character, "") or _CONTROL_NAMES.get(character, "")
    code_point = f"U+{ord(character):04X}"
    return f"{code_point} ({described})" if described else code_point


_CONTROL_NAMES = {"\0": "NUL", "\t": "TAB", "\n": "LF", "\r": "CR", "\x07": "BEL", "\x1b": "ESC"}


# Every letter below U+0250 (Latin-1, Latin Extended-A and -B) is in both fonts; a name of
# Dutch, Polish or Turkish letters never opens the font files (tests pin it).
_ALWAYS_PRINTED = 0x0250


def not_printed(cell: str) -> str:
    """The first character of ``cell`` the invoice's and the letters' font (DejaVu Sans,
    regular and bold: correspondence/pdf.py) lacks, which the PDF would leave out ("" for
    none): a Chinese name printed as nothing (R36: fonts that print every name)."""
    for character in cell:
        if ord(character) >= _ALWAYS_PRINTED and ord(character) not in _printed_by_the_font():
            return character
    return ""


def _printed_by_the_font() -> frozenset[int]:
    """The code points both fonts have, read once from their files (the rare file with a
    letter beyond Latin Extended-B pays it, about 0.15 s)."""
    global _PRINTED  # read once per process, on the rare path only
    if _PRINTED is None:
        from pathlib import Path  # the rare path only: not at import (#18 (d))

        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        fonts = Path(__file__).resolve().parent.parent / "correspondence" / "fonts"
        regular, bold = (
            set(TTFont(fonts / name, lazy=True)["cmap"].getBestCmap())
            for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        )
        _PRINTED = frozenset(regular & bold)
    return _PRINTED


_PRINTED: frozenset[int] | None = None
