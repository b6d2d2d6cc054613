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


# A description's own (chars3): a line break typed in its cell (Alt+Enter in Excel) and the
# directional marks an Arabic text may need (LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK, ARABIC
# LETTER MARK): marks, not overrides, they never make characters read in another order.
KEPT_IN_A_DESCRIPTION = "\n\r\u200e\u200f\u061c"
# Every character ``unprinted`` removes or refuses but for ASCII's (C0, DEL): the C1
# controls, and each Cf, Zl and Zp character of Unicode 15 (has_unprinted looks for each).
_SUSPECTS = (
    "".join(map(chr, range(0x80, 0xA0)))
    + "\u00ad\u0600\u0601\u0602\u0603\u0604\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    + "\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
    + "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d"
    + "\u206e\u206f\ufeff\ufff9\ufffa\ufffb\U000110bd\U000110cd\U0001bca0\U0001bca1"
    + "\U0001bca2\U0001bca3\U0001d173\U0001d174\U0001d175\U0001d176\U0001d177\U0001d178"
    + "\U0001d179\U0001d17a\U000e0001"
    + "".join(map(chr, range(0xE0020, 0xE0080)))
    + "".join(map(chr, range(0x13430, 0x13440)))
)
# The bytes of printable ASCII: deleting them from UTF-8 leaves its controls (C0, DEL, the
# line ends) and the whole UTF-8 of every other character, in order.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_NOT_ASCII = bytes(range(0x80, 0x100))
_ASCII = bytes(range(0x80))
_BOM = b"\xef\xbb\xbf"


def has_unprinted(text: str, data: bytes, *, utf8: bool = True) -> bool:
    """Whether ``text`` (decoded from ``data``, as UTF-8 when ``utf8``) holds a control or
    format character other than its line ends: one look at the whole file decides whether
    its lines' cells are looked at one by one (R2, R40).

    #18 (b) (stop 48 chars4): one pass over the bytes keeps only what is not printable
    ASCII; the suspects are looked for among the file's other characters alone, decoded
    from what is left. Before, each of them was looked for in the whole text: some 8 ms on
    10,000 lines as soon as one name held a letter beyond Latin-1 (a text of wider
    characters is searched without memchr). A Windows-1252 file is looked at as before."""
    rest = data.translate(None, _PRINTABLE_ASCII)  # in C: controls and non-ASCII bytes
    controls = rest.translate(None, _NOT_ASCII)  # C0 and DEL: a short text
    if len(controls) != controls.count(b"\n") + controls.count(b"\r"):
        return True
    if text.isascii():
        return False
    if utf8:  # the text's characters beyond ASCII, the BOM _decode skipped left out
        others = rest.translate(None, _ASCII)
        text = str(others[3:] if data.startswith(_BOM) else others, "utf-8")
    return any(character in text for character in _SUSPECTS)


def unprinted(cell: str, kept: str = "") -> tuple[str, str]:
    """The first character of ``cell`` that is removed, and the first that refuses its
    line ("" for none). A no-break space, private use or unassigned one is kept as it was,
    and so is every character of ``kept``."""
    from unicodedata import category  # the rare cell only: not at import (#18 (d))

    removed = refused = ""
    for character in cell:
        if character.isprintable() or character in kept:
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


_CONTROL_NAMES = {
    "\0": "NUL",
    "\t": "TAB",
    "\n": "LF",
    "\x0b": "VT",
    "\x0c": "FF",
    "\r": "CR",
    "\x07": "BEL",
    "\x1b": "ESC",
}


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
