"""The invoice as a print-ready A4 PDF (R7): attached to the e-mail, or printed and posted.

Laid out for a Dutch window envelope: the addressee block sits where the window is
(22 mm from the left, 50 mm from the top, 85 mm wide), with the sender line above it.
Every word comes from the shared text catalogue (notify/texts.py); this module only
decides where things go.

The font is DejaVu Sans (shipped in ``fonts/`` with its licence, embedded as a subset),
so every name prints as written: "Ł", "ś", "ü", Greek, Cyrillic and Arabic (R9, R36). A
document whose texts hold right-to-left or joining script (an Arabic letter, or an
Arabic name in a Dutch one) is shaped by HarfBuzz (fpdf2's text shaping, uharfbuzz),
right-to-left paragraphs aligned right; the rest is not shaped, which is five times
faster. A character the font lacks (Chinese, say) is left out, with a warning in the log
that does not name it (R29), and never stops a letter; the CSV reader names it to the
practice on upload (characters.not_printed, CSV_LETTER_NOT_PRINTED).

Every invoice carries a QR code that opens the checker with its kenmerk filled in
(segno), and the account holder's name next to zorgnota's IBAN (R36).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import segno
from fpdf import FPDF, FontFace
from fpdf.table import Table
from fpdf.util import Padding

from billing_core.changes.coulance import awaits_insurer_statement
from billing_core.correspondence.links import checker_address, checker_url, page_urls
from billing_core.correspondence.messages import RenderedEmail
from billing_core.correspondence.practice_contact import PracticeContact, practice_contact
from billing_core.correspondence.render import more_time
from billing_core.declarations.claims import Address, Person
from billing_core.dunning.letters import REMINDER, SECOND_NOTICE
from billing_core.invoices.invoice import Invoice, InvoiceLine
from billing_core.payments.collection_account import CollectionAccount
from billing_core.providers.provider import Provider
from billing_core.shared import reference as betalingskenmerk
from billing_core.shared.money import NO_BREAK_SPACE
from billing_core.shared.reference import unbroken
from billing_core.texts.catalogue import MONTHS, RIGHT_TO_LEFT, Texts, by_channel
from billing_core.texts.letters import texts_for
from billing_core.texts.letters.dunning import interest_note_key, now_due_key

if TYPE_CHECKING:
    from fpdf.fonts import TTFFont

    # Annotations only: the copy is made in the web functions, not by the delivery.
    from billing_core.correspondence.invoice_copy import ChangedSince

# fpdf2 subsets the font with fontTools, which logs some 40 INFO lines a PDF (the tables
# it prunes, the glyph names): noise in every delivery's log at the functions' INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _missing_glyphs_unnamed(record: logging.LogRecord) -> bool:
    """fpdf2's warning that the font lacks characters names them: letters of a patient's
    name (written in Chinese, say), logged through the root logger past the functions'
    masking formatter (R29). The warning stays, with the font and without the letters."""
    if "missing the following glyphs" in str(record.msg) and isinstance(record.args, tuple):
        record.msg = "Font %s is missing glyphs a text needs: left out (not named: R29)"
        record.args = record.args[:1]
    return True


logging.getLogger("fpdf.output").addFilter(_missing_glyphs_unnamed)

_FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_FONTS = Path(__file__).resolve().parent / "fonts"
# Bidi classes that need shaping: right-to-left letters and Arabic numbers.
_SHAPED_BIDI = frozenset({"R", "AL", "AN"})
_INK = (31, 41, 55)
_MUTED = (107, 114, 128)
_ACCENT = (15, 118, 110)
_SHADE = (240, 244, 243)

# Positions in mm on A4 (210 x 297).
_LEFT = 22.0  # left edge of the envelope window, and of everything else
_RIGHT = 20.0
_WINDOW_TOP = 45.0  # sender line; the address follows at 50 mm
_WINDOW_WIDTH = 85.0
_ADDRESS_SIZE = 10.5  # pt: the address in the window, one line an element
_SMALLEST_ADDRESS_SIZE = 10.0  # pt: PostNL advises 10 to 12; a longer line is cut short
_SENDER_SIZE = 7.0  # pt; a long practice name shrinks it to _SMALLEST_SIZE, then is cut
_SMALLEST_SIZE = 5.5  # pt: the smallest type still read at arm's length
_FOOTER_SIZE = 7.5  # pt; the practice's name in it shrinks and is cut as the sender line's
_BRAND_WIDTH = 40.0
_LETTERHEAD_TOP = 15.0  # the practice's name; its contact lines end above the window
_NAME_SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.5)  # pt, the name's type at its largest first
_NAME_LEADING = 7.0 / 15.0  # mm of line per point: 7 mm at 15 pt
_FACTS_X = 118.0  # the block with date, kenmerk, patient, right of the window
_FACT_SIZE = 8.5  # pt, bold: a fact's value
_FACTS_LABEL_WIDTH = 37.0  # "AGB-code zorgverlener" in DejaVu Sans, wider than Helvetica
_BODY_TOP = 100.0  # below the window, whatever the length of the address
_CONTACT_LINE = 4.0  # the practice's address and contact lines under its name
_QR_SIZE = 28.0  # the QR code to the checker, right of the payment instructions
_CAPTION_WIDTH = _QR_SIZE + 10  # its caption, centred under it
# A confirmation's code when the page under its text is full: right of the window, under
# its one fact (the kenmerk, 50-55 mm), its caption ending above the body (100 mm).
_QR_BESIDE_WINDOW = 62.0
_FOOTER_HEIGHT = 22.0
_TOTAL_ROW_HEIGHT = 6.0
_CELL_PADDING = 1.0  # mm left and right of the text in a table's cell
# The table of lines: date, code, description, amount, reimbursed, to pay. Each cell's
# text within its padding (1.2 mm a side), in 8.5 pt (audit letters57): the date's holds
# the widest, '28 May 2026' (19.6 mm; at 21 mm six months' dates broke before the year);
# the code's six characters, as long as a Vektis PRESTATIECODE is ('MW1234' 13.2 mm; at
# 13 mm 'CR-C11' printed as 'CR-C1' over '1'). The reimbursed column's heading takes two
# lines at 26 mm as at 28; the description wraps between words.
_COLUMNS = (22.5, 17.0, 54.5, 24.0, 26.0, 24.0)
_HEADINGS = (
    "col_date",
    "col_code",
    "col_description",
    "col_amount",
    "col_reimbursed",
    "col_to_pay",
)
_ALIGNMENT = ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT")
_PAYMENT_BLOCK_HEIGHT = 48.0  # moved to a new page whole rather than split
# A letter's spacing, the type as it was: four invoices in the worst realistic case (a
# practice name of 60 characters, a long street and patient name) took a Polish second
# notice to 280.0 mm, 289.0 mm with an arrangement's fee, past the page's end at 272 mm
# (letters10; R19, R36).
_LEADING = 4.1  # mm: a line of a letter's paragraph, in 9.5 pt (1.22 times its size)
_AFTER_PARAGRAPH = 0.9  # mm under a letter's paragraph
_AMOUNTS_PADDING = 0.5  # mm above and below the text in a letter's table of amounts
_AMOUNTS_LINE = 4.2  # mm: a line of text in a letter's table of amounts, in 9 pt
_AFTER_AMOUNTS = 1.5  # mm under a letter's table of amounts
_LETTER_TITLE_HEIGHT = 7.0  # mm: a letter's title, in 16 pt bold (5.6 mm)
_HOW_HEADING_HEIGHT = 6.0  # mm: a letter's "how to pay" heading, in 11 pt bold (3.9 mm)


def render_invoice_pdf(
    invoice: Invoice,
    provider: Provider,
    *,
    public_base_url: str,
    account: CollectionAccount,
    compress: bool = True,
    changed: ChangedSince | None = None,
) -> bytes:
    """The invoice as PDF bytes; the same invoice always gives the same bytes.

    ``changed``: on a copy of the invoice as it was sent (invoice_copy.py), what is due
    now, said on the first page. ``compress=False`` leaves the page contents readable,
    for tests that look inside. Laid out again, its last line moved on to the next page,
    when the totals found no room under the lines: they went to that page alone, under
    no line of theirs (twelve lines to a long-named patient, audit letters54).
    """
    laid_out = (invoice, provider, public_base_url, account, compress, changed)
    return _total_never_alone(lambda apart: _invoice_document(*laid_out, last_line_apart=apart))


def _total_never_alone(lay_out: Callable[[bool], tuple[_Document, bool]]) -> bytes:
    """The document laid out as it comes, or, when its total went to a page alone (the
    second value), laid out again with its last row moved on to that page."""
    pdf, total_alone = lay_out(False)
    if total_alone:
        pdf, _ = lay_out(True)
    return bytes(pdf.output())


def _invoice_document(
    invoice: Invoice,
    provider: Provider,
    public_base_url: str,
    account: CollectionAccount,
    compress: bool,
    changed: ChangedSince | None,
    *,
    last_line_apart: bool,
) -> tuple[_Document, bool]:
    """The invoice laid out, and whether its totals went to a new page alone."""
    t = texts_for(invoice.language.value, ("common", "pdf.invoice"))
    practice = practice_contact(provider)
    pdf = _Document(
        t,
        provider,
        title=t("title"),
        reference=invoice.reference,
        dated=invoice.issue_date,
        public_base_url=public_base_url,
        texts=_invoice_texts(invoice, practice),
    )
    pdf.set_compression(compress)
    pdf.add_page()
    _letterhead(pdf, practice, t)
    _window(pdf, invoice.addressee, provider, t)
    _facts(pdf, invoice, provider, t)
    _introduction(pdf, provider, t)
    by = by_channel(invoice.follow_up_channel)  # R7: how what it promises will come
    if changed is not None:  # a copy: what counts now, said as things come now
        _changed_since(pdf, changed, t, public_base_url)
    if awaits_insurer_statement(invoice, provider):
        _dont_pay_yet(pdf, t, public_base_url, by)
    _lines_table(pdf, invoice.lines, t, last_line_apart=last_line_apart)
    totals_alone = _totals(pdf, invoice, t)
    _payment_instructions(pdf, invoice, provider, t, public_base_url, account)
    return pdf, totals_alone


def invoice_file_name(invoice: Invoice) -> str:
    """The PDF's file name in the addressee's language: nota-…, invoice-…, faktura-…"""
    t = texts_for(invoice.language.value, ("common", "pdf.invoice"))
    return t("file_name", reference=invoice.reference)


def letter_file_name(kind: str, reference: str, language: str) -> str:
    """A dunning letter's file name in the addressee's language: herinnering-…, reminder-…"""
    return texts_for(language, ("common", f"email.{kind}", f"pdf.{kind}"))(
        "file_name", reference=reference
    )


# DejaVu Sans and its bold as fpdf2 parses them for a document (widths, glyph ids, the
# character map: TTFFont), once a process, by the first document: parsed anew for every
# document it took two fifths of a document's CPU (pdfperf59). Filled on first use, not at
# import (the delivery handler's import time, issue 18 (d)).
_PARSED_FONTS: dict[str, TTFFont] = {}


def _add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans and its bold added to ``pdf`` as ``add_font`` adds them: by the first
    document of the process parsed (``add_font``'s own TTFFont), by every later one
    copied from that parse, each document with its own widths, glyphs used and subset,
    and its own fontTools font, opened as fpdf2 opens it, which output subsets in place
    (so no fontTools font is ever handed to two documents). The same document gives
    the same bytes as with ``add_font``."""
    # Imported by fpdf2 already; here so that this module's imports stay as they were.
    from fontTools import ttLib  # type: ignore[import-untyped]
    from fpdf.fonts import TTFFont

    for style, file_name in _FONT_FILES.items():
        path, fontkey = _FONTS / file_name, f"{_FONT.lower()}{style}"
        parsed = _PARSED_FONTS.get(style)
        if parsed is None:
            font = TTFFont(pdf, path, fontkey, style)
            # The parse kept before this document uses it; its fontTools font is never
            # subset through the copy: every later document opens its own.
            _PARSED_FONTS[style] = _font_copy(font, font.ttfont, pdf)
        else:
            opened = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
            font = _font_copy(parsed, opened, pdf)
        pdf.fonts[fontkey] = font


def _font_copy(parsed: TTFFont, ttfont: Any, pdf: FPDF) -> TTFFont:
    """``parsed`` as a new document's font: what a document changes (the widths looked
    up, the glyphs it uses, their subset, the characters missing) its own, on ``ttfont``;
    what it only reads (the character map, the descriptor) shared, as fpdf2's own copy
    for its recorder shares them (TTFFont.__deepcopy__)."""
    import copy  # imported by fpdf2 already; here so that this module's imports stay

    from fpdf.fonts import SubsetMap

    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttfont
    font.cw = parsed.cw.copy()  # a defaultdict: looking up a character not in it adds it
    font.glyph_ids = dict(parsed.glyph_ids)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None  # HarfBuzz's font of the file, made when a text is shaped
    font.subset = SubsetMap(font)
    return font


class _Document(FPDF):
    """An A4 page of zorgnota's: margins, the Unicode font, the footer, and on later pages
    a line saying what the page belongs to. The invoice and the dunning letters share it.
    ``texts``: what the page will print that is not in its own language's catalogue
    (names, descriptions), to decide whether it needs shaping."""

    def __init__(
        self,
        t: Texts,
        provider: Provider,
        *,
        title: str,
        reference: str,
        dated: date,
        public_base_url: str,
        texts: Iterable[str] = (),
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._continuation = f"{title} {kenmerk(reference)}"
        self._provider = provider
        # The pages for patients (R36) on every page, under the footer line.
        self._links = t("more_information", **page_urls(public_base_url, t.language))
        self._t = t
        self.right_to_left = t.language in RIGHT_TO_LEFT
        self.align_text: Literal["L", "R"] = "R" if self.right_to_left else "L"
        _add_fonts(self)
        if self.right_to_left or needs_shaping([*texts, provider.name]):
            self.set_text_shaping(True)
        if self.right_to_left:
            # The footer's page count stands at the left end of "صفحة 1 من {nb}", in the
            # room of three digits: drawn at that room's left, it left a gap between "من"
            # and the count (audit pdf6). At its right, it stands next to "من".
            self.alias_nb_pages("{nb}", align="R")
        self.set_margins(_LEFT, 15.0, _RIGHT)
        self.body_top = self.t_margin  # set again by header() on every page
        self.set_auto_page_break(True, margin=_FOOTER_HEIGHT + 3)
        # Same document, same bytes: the date in the file (and its /ID) is the document's.
        self.set_creation_date(datetime.combine(dated, time(), UTC))
        self.set_title(self._continuation)
        self.set_author("zorgnota")
        self.set_lang(t.language)

    def header(self) -> None:
        if self.page_no() > 1:  # page 1 has the letterhead; later pages say what they belong to
            _style(self, 8, color=_MUTED)
            self.cell(0, 5, self._continuation, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
        self.body_top = self.get_y()  # where the page's text starts, under this line

    def footer(self) -> None:
        self.set_y(-_FOOTER_HEIGHT)
        self.set_draw_color(*_MUTED)
        self.line(_LEFT, self.get_y(), self.w - _RIGHT, self.get_y())
        self.ln(2)
        page = self._t("page", page=self.page_no(), pages="{nb}")
        # The practice's name as in the window: a long one in smaller type, or cut short.
        provider, room = self._provider, self.epw - 30
        footer = _practice_line(
            self,
            self._t,
            "footer",
            room,
            _FOOTER_SIZE,
            provider=provider.name,
            agb=provider.agb_code,
        )
        cells = self.in_reading_order([(room, footer, self.font_size_pt), (30, page, _FOOTER_SIZE)])
        for (width, text, size), align in zip(
            cells, self.in_reading_order(["L", "R"]), strict=True
        ):
            _style(self, size)
            self.cell(width, 4, text, align=align)
        self.ln(4)
        _style(self, _FOOTER_SIZE)
        self.multi_cell(0, 3.6, self._links, align=self.align_text)

    def normalize_text(self, text: str) -> str:
        """Every text composed (NFC) before it is measured or drawn: a name sent
        decomposed ("e" and combining accents) prints the font's own "ễ" rather than marks
        stacked on one another (audit pdf5; R36). A composed text is left as it was."""
        return super().normalize_text(unicodedata.normalize("NFC", text))

    def dates_together(self, text: str) -> str:
        """``text`` with the spaces in its dates ("12 januari 2027", "12 januari") no-break
        spaces: a paragraph wraps at spaces only (fpdf2 prints a no-break space as a space
        and never ends a line at it), so it no longer ends a line between the day and the
        month or the month and the year ("... uiterlijk op 12 januari" over "2027 ...",
        audit letters58). For the PDFs' sentences only: the e-mails say the same in their
        own words and wrap as the reader's mail client does."""
        return _dates_pattern(self._t.language).sub(_unbroken, text)

    def in_reading_order(self, cells: Sequence[Any]) -> list[Any]:
        """Cells of a row from the reader's start: mirrored in a right-to-left letter."""
        return list(reversed(cells) if self.right_to_left else cells)

    def ruled_table(
        self,
        widths: Sequence[float],
        alignments: Sequence[str],
        padding: float,
        line_height: float = 4.5,
        **more: Any,
    ) -> AbstractContextManager[Table]:
        """A table as the letters draw one: ruled between rows, bold headings on a shade,
        the columns and their alignments in reading order; ``padding`` above and below
        each line of ``line_height`` mm."""
        return self.table(
            col_widths=self.in_reading_order(widths),
            width=sum(widths),
            align="LEFT",
            text_align=self.mirrored(alignments),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=_SHADE),
            cell_fill_mode="NONE",
            line_height=line_height,
            padding=(padding, _CELL_PADDING),
            **more,
        )

    def mirrored(self, alignments: Sequence[str]) -> list[str]:
        """Column alignments in reading order: in a right-to-left letter, the first column
        at the right and what was aligned right (amounts) aligned left."""
        if not self.right_to_left:
            return list(alignments)
        swap = {"LEFT": "RIGHT", "RIGHT": "LEFT", "L": "R", "R": "L"}
        return [swap.get(alignment, alignment) for alignment in reversed(alignments)]


_DATES: dict[str, re.Pattern[str]] = {}


def _dates_pattern(language: str) -> re.Pattern[str]:
    """A long date of ``language`` as texts.catalogue.long_date writes it, the year left
    out or not; compiled the first time a PDF asks (not at a cold start, issue 18 (d))."""
    if language not in _DATES:
        months = "|".join(MONTHS.get(language, MONTHS["nl"]))
        _DATES[language] = re.compile(rf"\b\d{{1,2}} (?:{months})(?: \d{{4}}\b)?")
    return _DATES[language]


def _unbroken(date_written: re.Match[str]) -> str:
    return date_written.group(0).replace(" ", NO_BREAK_SPACE)


def kenmerk(reference: str) -> str:
    """The kenmerk as printed: its groups of four, unbroken."""
    return unbroken(betalingskenmerk.grouped(reference))


def needs_shaping(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds right-to-left or joining script (Arabic, Hebrew)."""
    return any(
        unicodedata.bidirectional(character) in _SHAPED_BIDI for text in texts for character in text
    )


def _invoice_texts(invoice: Invoice, practice: PracticeContact) -> list[str]:
    """What an invoice prints besides its catalogue's sentences."""
    people = [invoice.addressee, invoice.patient]
    names = [person.display_name for person in people]
    streets = [person.address.street + person.address.city for person in people]
    return [*names, *streets, *(line.description for line in invoice.lines), *_shown(practice)]


def _shown(practice: PracticeContact) -> list[str]:
    return [practice.name, *practice.address_lines, practice.hours]


def _letterhead(pdf: _Document, practice: PracticeContact, t: Texts) -> None:
    """The practice the patient knows, large, with how to reach it (R36); the service
    that sends for it, small."""
    pdf.set_xy(pdf.w - _RIGHT - _BRAND_WIDTH, 15)
    _style(pdf, 13, "B", color=_ACCENT)
    pdf.cell(_BRAND_WIDTH, 7, "zorgnota", align="R")
    pdf.set_xy(_LEFT, _LETTERHEAD_TOP)
    name_width = pdf.epw - _BRAND_WIDTH
    contact = _contact_lines(practice, t)
    room = _WINDOW_TOP - _LETTERHEAD_TOP - len(contact) * _CONTACT_LINE
    height, lines = _name_lines(pdf, practice.name, name_width, room)
    pdf.set_text_color(*_INK)
    for line in lines:
        pdf.cell(name_width, height, line, new_x="LMARGIN", new_y="NEXT")
    _style(pdf, 8.5, color=_MUTED)
    for line in contact:
        pdf.cell(name_width, _CONTACT_LINE, line, new_x="LMARGIN", new_y="NEXT")


def _name_lines(pdf: FPDF, name: str, width: float, room: float) -> tuple[float, list[str]]:
    """The practice's name in the letterhead: its lines in bold type, 15 pt, or smaller as
    far as it needs to stand in ``room`` mm above the envelope's window, down to the body's
    9.5 pt; a name too long even then cut short with "…" on its last line (a name may have
    200 characters, providers/provider.py). At 15 pt a name of 120 characters took four
    lines and pushed the contact lines under it over the address in the window (R7)."""
    for size in _NAME_SIZES:
        _style(pdf, size, "B")
        height = size * _NAME_LEADING
        lines = _wrapped(pdf, name, width, height)
        if len(lines) * height <= room:
            return height, lines
    kept = lines[: max(int(room // height), 1)]
    last = kept[-1]
    while last and pdf.get_string_width(f"{last}…") > width - 2 * pdf.c_margin:
        last = last[:-1]
    return height, [*kept[:-1], f"{last.rstrip()}…"]


def _wrapped(pdf: FPDF, text: str, width: float, height: float) -> list[str]:
    """``text`` in the lines a ``multi_cell`` ``width`` wide prints it in, in the type set."""
    return cast(list[str], pdf.multi_cell(width, height, text, dry_run=True, output="LINES"))


def _contact_lines(practice: PracticeContact, t: Texts) -> list[str]:
    reach = [
        t(key, value=value)
        for key, value in (("phone", unbroken(practice.phone)), ("email", practice.email))
        if value
    ]
    lines = [*practice.address_lines, "  ·  ".join(reach)]
    if practice.hours:
        lines.append(t("hours", hours=practice.hours))
    return [line for line in lines if line]


def _window(pdf: FPDF, addressee: Person, provider: Provider, t: Texts) -> None:
    """Sender line and address, inside the envelope window."""
    pdf.set_xy(_LEFT, _WINDOW_TOP)
    sender = _practice_line(
        pdf, t, "sender_line", _WINDOW_WIDTH, _SENDER_SIZE, "U", provider=provider.name
    )
    pdf.cell(_WINDOW_WIDTH, 4, sender)
    pdf.set_xy(_LEFT, _WINDOW_TOP + 5)
    for kept, cut, after in _address_lines(addressee):
        line = _address_line(pdf, kept, cut, after)
        pdf.cell(_WINDOW_WIDTH, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")


def _address_line(pdf: FPDF, kept: str, cut: str, after: str) -> str:
    """One element of the address on one line of the window, as PostNL reads it (a line
    an element: a wrapped street read as two, audit letters9): in 10.5 pt, smaller down
    to 10 pt (PostNL's advice: 10 to 12 pt) as far as it needs, and when even that is too
    wide ``cut`` cut short with "…" between what is kept whole (the postcode before the
    city, the house number after the street: the post sorts by them)."""
    room = _WINDOW_WIDTH - 2 * pdf.c_margin
    line = f"{kept}{cut}{after}"
    _style(pdf, _ADDRESS_SIZE, color=_INK)
    wide = pdf.get_string_width(line)
    if wide <= room:
        return line
    _style(pdf, max(int(_ADDRESS_SIZE * room / wide * 10) / 10, _SMALLEST_ADDRESS_SIZE))
    while cut and pdf.get_string_width(line) > room:
        cut = cut[:-1]
        line = f"{kept}{cut.rstrip(' ,.-')}…{after}"
    return line


def _practice_line(
    pdf: FPDF,
    t: Texts,
    key: str,
    width: float,
    size: float,
    emphasis: str = "",
    *,
    provider: str,
    **values: str,
) -> str:
    """The sentence ``key`` naming the practice, styled to fit a one-line cell ``width``
    wide (a cell does not wrap: the window's sender line, whose overflow the envelope
    hides, R7; the footer, R36): a long practice name in smaller type, and one too long
    even for the smallest cut short with "…" (a name may have 200 characters,
    providers/provider.py)."""
    line = t(key, provider=provider, **values)
    room = width - 2 * pdf.c_margin
    _fitted(pdf, line, room, size, emphasis)
    if pdf.get_string_width(line) <= room:
        return line
    shortest, longest = 0, len(provider)  # the name cut to ``shortest`` characters fits
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if pdf.get_string_width(_cut(t, key, provider, middle, values)) <= room:
            shortest = middle
        else:
            longest = middle - 1
    return _cut(t, key, provider, shortest, values)


def _cut(t: Texts, key: str, provider: str, length: int, values: Mapping[str, str]) -> str:
    # In a right-to-left letter a left-to-right mark keeps "…" at the end of a Latin
    # name, where it was cut, rather than at the line's left end (the bidi algorithm).
    mark = "\u200e" if t.language in RIGHT_TO_LEFT else ""
    return t(key, provider=f"{provider[:length].rstrip(' ,.-')}…{mark}", **values)


def _fitted(pdf: FPDF, text: str, width: float, size: float, emphasis: str = "") -> None:
    """Sets the muted type at ``size``, or smaller down to _SMALLEST_SIZE as far as
    ``text`` needs to fit ``width`` (its width grows with the size, in proportion)."""
    _style(pdf, size, emphasis, color=_MUTED)
    wide = pdf.get_string_width(text)
    if wide > width:
        fitting = int(size * width / wide * 10) / 10  # a tenth of a point, rounded down
        _style(pdf, max(fitting, _SMALLEST_SIZE), emphasis)


# The country's name on the last line of an address abroad, in capitals, in Dutch (the
# country of posting, as PostNL asks): the EU, the EEA, Switzerland and the neighbours.
# Any other country prints its ISO code.
_COUNTRY_NAMES = {
    "AT": "OOSTENRIJK",
    "BE": "BELGIË",
    "BG": "BULGARIJE",
    "CH": "ZWITSERLAND",
    "CY": "CYPRUS",
    "CZ": "TSJECHIË",
    "DE": "DUITSLAND",
    "DK": "DENEMARKEN",
    "EE": "ESTLAND",
    "ES": "SPANJE",
    "FI": "FINLAND",
    "FR": "FRANKRIJK",
    "GB": "VERENIGD KONINKRIJK",
    "GR": "GRIEKENLAND",
    "HR": "KROATIË",
    "HU": "HONGARIJE",
    "IE": "IERLAND",
    "IS": "IJSLAND",
    "IT": "ITALIË",
    "LI": "LIECHTENSTEIN",
    "LT": "LITOUWEN",
    "LU": "LUXEMBURG",
    "LV": "LETLAND",
    "MT": "MALTA",
    "NO": "NOORWEGEN",
    "PL": "POLEN",
    "PT": "PORTUGAL",
    "RO": "ROEMENIË",
    "SE": "ZWEDEN",
    "SI": "SLOVENIË",
    "SK": "SLOWAKIJE",
}


def _address_lines(person: Person) -> list[tuple[str, str, str]]:
    """As PostNL wants it: name; street and number; postcode, two spaces, CITY; abroad,
    the COUNTRY last. Each line as what stands before the part that may be cut short,
    that part, and what stands after it (_address_line)."""
    address: Address = person.address
    number = " ".join(part for part in (address.house_number, address.house_number_suffix) if part)
    postcode = f"{address.postcode}  " if address.postcode and address.city else address.postcode
    lines = [
        ("", person.display_name, ""),
        ("", address.street, f" {number}" if address.street and number else number),
        (postcode, address.city.upper(), ""),
    ]
    country = address.country.upper()
    if country and country != "NL":
        lines.append(("", _COUNTRY_NAMES.get(country, country), ""))
    return [line for line in lines if "".join(line).strip()]


def _facts(pdf: _Document, invoice: Invoice, provider: Provider, t: Texts) -> None:
    """What the patient, the insurer or a helpdesk looks for first, right of the window."""
    facts = (
        (t("invoice_date"), t.long_date(invoice.issue_date)),
        (t("reference"), kenmerk(invoice.reference)),
        (t("final_payment_date"), t.long_date(invoice.final_payment_date)),
        (t("patient"), invoice.patient.display_name),
        (t("birth_date"), t.long_date(invoice.birth_date)),
        (t("agb_code"), provider.agb_code),
    )
    _facts_block(pdf, facts)


def _facts_block(pdf: _Document, facts: Sequence[tuple[str, str]]) -> None:
    """Label and value pairs right of the window; in a right-to-left letter the label
    stands right of its value. A date stands whole on its line, in smaller type as far as
    it must ("28 października 2026" in 7.7 pt): it wrapped as "28 października" over "2026"
    (audit facts58)."""
    facts = [(label, pdf.dates_together(value)) for label, value in facts]
    value_width = pdf.w - _RIGHT - _FACTS_X - _FACTS_LABEL_WIDTH
    if pdf.right_to_left:
        label_x, value_x = _FACTS_X + value_width, _FACTS_X
    else:
        label_x, value_x = _FACTS_X, _FACTS_X + _FACTS_LABEL_WIDTH
    pdf.set_y(_WINDOW_TOP + 5)
    sizes = [_fact_size(pdf, value, value_width) for _, value in facts]
    broken = [
        _broken_at_hyphens(pdf, value, value_width, size)
        for (_, value), size in zip(facts, sizes, strict=True)
    ]
    values = _bounded_values(pdf, broken, sizes, value_width)
    for (label, _), value, size in zip(facts, values, sizes, strict=True):
        top = pdf.get_y()
        pdf.set_xy(label_x, top)
        _style(pdf, 8.5, color=_MUTED)
        pdf.cell(_FACTS_LABEL_WIDTH, 5, label, align=pdf.align_text)
        pdf.set_xy(value_x, top)
        _style(pdf, size, "B", color=_INK)
        pdf.multi_cell(value_width, 5, value, align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")


def _bounded_values(pdf: FPDF, values: list[str], sizes: list[float], width: float) -> list[str]:
    """The facts' values as they will wrap, the longest cut short with "…" on its last
    line as far as the block must to end above the body at 100 mm (a name may be long:
    a patient's of 104 characters took seven lines and ran the facts to 116 mm, over
    the letter's title, audit letters9)."""
    lines = []
    for value, size in zip(values, sizes, strict=True):
        _style(pdf, size, "B")
        lines.append(_wrapped(pdf, value, width, 5) or [""])
    room = int((_BODY_TOP - _WINDOW_TOP - 5) // 5)
    over = sum(len(wrapped) for wrapped in lines) - room
    if over <= 0:
        return values
    longest = max(range(len(lines)), key=lambda index: len(lines[index]))
    kept = lines[longest][: max(len(lines[longest]) - over, 1)]
    _style(pdf, sizes[longest], "B")
    last = kept[-1]
    while last and pdf.get_string_width(f"{last}…") > width - 2 * pdf.c_margin:
        last = last[:-1]
    kept[-1] = f"{last.rstrip(' ,.-')}…"
    return [*values[:longest], "\n".join(kept), *values[longest + 1 :]]


def _fact_size(pdf: FPDF, value: str, width: float) -> float:
    """A fact's type: 8.5 pt bold, or a little smaller as far as its longest word needs to
    stand whole on a line of ``width`` (a long name wraps between its words only: the
    patient "… Bogaard-Oudshoorn …" printed "Bogaard-Oudshoor" over "n van", audit
    letters8), never under the smallest size read at arm's length. A word still too wide
    at that size breaks after its hyphens (_broken_at_hyphens): then the type is as large
    as its widest part allows, up to 8.5 pt."""
    _style(pdf, _FACT_SIZE, "B")
    room = width - 2 * pdf.c_margin
    longest = max((pdf.get_string_width(word) for word in _words(value)), default=0.0)
    if longest <= room:
        return _FACT_SIZE
    fitting = int(_FACT_SIZE * room / longest * 10) / 10
    if fitting >= _SMALLEST_SIZE:
        return fitting
    widest = max(pdf.get_string_width(part.strip()) for part in _break_points(value))
    return min(max(int(_FACT_SIZE * room / widest * 10) / 10, _SMALLEST_SIZE), _FACT_SIZE)


def _words(value: str) -> list[str]:
    """The words of ``value`` as a line wraps it: split at white space other than a
    no-break space, so a date whose spaces dates_together made no-break spaces is one word
    (str.split() splits at a no-break space too; fpdf2 never ends a line there)."""
    return re.split(r"[^\S\u00a0]+", value.strip())


def _break_points(value: str) -> list[str]:
    """``value`` in the pieces a line may end after: a word with its space, or the part
    of a hyphenated word up to and with its hyphen ("Żółkiewska-", "Brzęczyszczykiewicz-")."""
    return value.replace("-", "-\0").replace(" ", " \0").split("\0")


def _broken_at_hyphens(pdf: FPDF, value: str, width: float, size: float) -> str:
    """``value`` with its lines ended after a space or a hyphen when one of its words is
    wider than a line of ``width`` in ``size``: fpdf2 breaks such a word mid-word, never at
    its hyphens (the patient "Żółkiewska-Brzęczyszczykiewicz-Ağaoğlu" printed
    "Żółkiewska-Brzęczyszczykiew" over "icz-Ağaoğlu", R36); otherwise ``value`` as it is,
    wrapped between its words by ``multi_cell``."""
    _style(pdf, size, "B")
    room = width - 2 * pdf.c_margin
    if all(pdf.get_string_width(word) <= room for word in _words(value)):
        return value
    lines = [""]
    for piece in _break_points(value):
        if lines[-1].strip() and pdf.get_string_width(f"{lines[-1]}{piece}".rstrip()) > room:
            lines.append(piece)
        else:
            lines[-1] += piece
    return "\n".join(line.strip() for line in lines)


def _introduction(pdf: _Document, provider: Provider, t: Texts) -> None:
    pdf.set_xy(_LEFT, _BODY_TOP)
    _style(pdf, 16, "B", color=_INK)
    pdf.cell(0, 8, t("title"), align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")
    _style(pdf, 10)
    pdf.multi_cell(
        0,
        5,
        t("intro", provider=provider.name),
        align=pdf.align_text,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)


def _dont_pay_yet(pdf: _Document, t: Texts, public_base_url: str, by: Mapping[str, str]) -> None:
    """legal-nl.md §7, R37: non-contracted care: claim it first, then pay the adjusted amount,
    which comes by e-mail or by post (``by``, R7)."""
    _style(pdf, 10, "B", color=_ACCENT)
    pdf.set_fill_color(*_SHADE)
    heading = t("dont_pay_yet_heading")
    pdf.multi_cell(0, 6, heading, align=pdf.align_text, fill=True, new_x="LMARGIN", new_y="NEXT")
    _style(pdf, 9.5, color=_INK)
    text = t("dont_pay_yet", checker_url=checker_address(public_base_url, t.language), **by)
    # At a letter's leading, as the payment block: at 5 mm a line the payment block of a
    # one-line invoice from a long-named practice went to a second page (audit letters58).
    pdf.multi_cell(
        0, _LEADING, text, align=pdf.align_text, fill=True, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)


def _changed_since(pdf: _Document, changed: ChangedSince, t: Texts, public_base_url: str) -> None:
    """R36: a copy of the invoice as sent says, under a heading with the day it was sent
    and how (R7: by e-mail, or by post), before anything it asked, what is due now
    and by when: one amount and one date of today's breakdown, never the old amount by a
    new date (legal-nl.md §7); while the practice decides on the insurer's statement, or
    when how it comes changed, or while "don't pay yet" holds with another amount (the
    amount, no date), that the adjusted amount comes by e-mail or by post as things come
    now (R17, R7)."""
    by = by_channel(changed.follow_up_channel)
    if changed.coulance_decision:
        due = t("copy_coulance_decision", **by)
    elif changed.only_the_channel:
        due = t("copy_comes_by", **by)
    else:
        due = _due_now(changed, t, by)
    _style(pdf, 10, "B", color=_ACCENT)
    pdf.set_fill_color(*_SHADE)
    sent_by = by_channel(changed.sent_by)
    heading = pdf.dates_together(t("copy_heading", date=t.long_date(changed.sent_on), **sent_by))
    pdf.multi_cell(0, 6, heading, align=pdf.align_text, fill=True, new_x="LMARGIN", new_y="NEXT")
    _style(pdf, 9.5, "B", color=_INK)
    address = checker_address(public_base_url, t.language)
    text = pdf.dates_together(f"{due} {t('copy_checker', url=address)}")
    pdf.multi_cell(0, 5, text, align=pdf.align_text, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _due_now(changed: ChangedSince, t: Texts, by: Mapping[str, str]) -> str:
    """What is due now and by when, as the copy's notice says it (R36); while "don't pay
    yet" holds, the amount and not to pay yet, as the checker says it (legal-nl.md §7)."""
    amount = t.euros(changed.due_cents)
    if changed.due_cents <= 0:
        return t("copy_nothing_due")
    if changed.dont_pay_yet:
        return f"{t('copy_amount_now', amount=amount)} {t('pay_not_yet', **by)}"
    if changed.pay_by is None:
        return t("copy_due_passed", amount=amount)
    key = "copy_next_term" if changed.next_term else "copy_due"
    return t(key, amount=amount, date=t.long_date(changed.pay_by))


def _lines_table(
    pdf: _Document, lines: tuple[InvoiceLine, ...], t: Texts, *, last_line_apart: bool
) -> None:
    """The invoice's lines under their headings; ``last_line_apart``: the last line on the
    next page, under the headings again, so that the totals that follow stand under it."""
    kept, apart = (lines[:-1], lines[-1:]) if last_line_apart else (lines, ())
    if kept:
        _ruled_lines(pdf, kept, t)
    if apart:
        pdf.add_page()
        _ruled_lines(pdf, apart, t)
    pdf.ln(2)


def _ruled_lines(pdf: _Document, lines: tuple[InvoiceLine, ...], t: Texts) -> None:
    _style(pdf, 8.5, color=_INK)
    pdf.set_draw_color(*_MUTED)
    with pdf.ruled_table(_COLUMNS, _ALIGNMENT, padding=1.2, v_align="TOP") as table:
        table.row(pdf.in_reading_order([t(key) for key in _HEADINGS]))
        for line in lines:
            table.row(pdf.in_reading_order(_line_cells(line, t)))


def _line_cells(line: InvoiceLine, t: Texts) -> list[str]:
    description = line.description
    if line.quantity != 1:
        quantity = t("quantity", quantity=line.quantity, unit_price=t.euros(line.unit_price_cents))
        description = f"{description} ({quantity})"
    return [
        t.short_date(line.treatment_date),
        line.treatment_code,
        description,
        t.euros(line.amount_cents),
        t.euros(line.reimbursed_cents),
        t.euros(line.patient_share_cents),
    ]


def _totals(pdf: _Document, invoice: Invoice, t: Texts) -> bool:
    """From the ledger (R27), the money as issued: the table's lines add up to it. Whether
    they went to a new page, away from the lines, to stand in one piece."""
    rows = [(t("total"), t.euros(invoice.gross_cents), "")]
    if invoice.reimbursed_cents:
        rows.append((t("reimbursed_total"), t.euros(-invoice.reimbursed_cents), ""))
    rows.append((t("amount_due"), t.euros(invoice.original_amount_cents), "B"))
    amount_width = _COLUMNS[-1]
    label_width = 70.0
    # Under the column "to pay": the last column, at the left in a right-to-left letter.
    x = _LEFT if pdf.right_to_left else _LEFT + sum(_COLUMNS) - amount_width - label_width
    moved = pdf.will_page_break(len(rows) * _TOTAL_ROW_HEIGHT)
    if moved:  # the sum stays in one piece
        pdf.add_page()
    for label, amount, emphasis in rows:
        pdf.set_x(x)
        _style(pdf, 10 if emphasis else 9, emphasis, color=_INK)
        border: Literal[0, 1] | str = "T" if emphasis else 0
        label_align, amount_align = ("R", "L") if pdf.right_to_left else ("L", "R")
        cells = [(label_width, label, label_align), (amount_width, amount, amount_align)]
        for width, text, align in pdf.in_reading_order(cells):
            pdf.cell(width, _TOTAL_ROW_HEIGHT, text, border=border, align=align)
        pdf.ln(_TOTAL_ROW_HEIGHT)
    pdf.ln(6)
    return moved


def _payment_instructions(
    pdf: _Document,
    invoice: Invoice,
    provider: Provider,
    t: Texts,
    public_base_url: str,
    account: CollectionAccount,
) -> None:
    """How to pay, with the QR code to the checker beside it (R36). An invoice that waits
    for the insurer's statement asks no amount now and offers no iDEAL and no
    arrangement (legal-nl.md §7): only where the adjusted amount goes, and where the
    statement is sent."""
    bank = {
        "iban": unbroken(account.grouped_iban),
        "holder": account.holder,
        "reference": kenmerk(invoice.reference),
    }
    address = checker_address(public_base_url, t.language)  # printed: short, in its language
    if awaits_insurer_statement(invoice, provider):
        sentences: tuple[str, ...] = (
            t("pay_adjusted_transfer", **bank, **by_channel(invoice.follow_up_channel)),
            t("send_statement_at", url=address),
        )
        caption = t("qr_caption_statement")
    else:
        pay_by = t.long_date(invoice.final_payment_date)
        amount = t.euros(invoice.original_amount_cents)
        sentences = (
            t("pay_transfer", amount=amount, date=pay_by, **bank),
            t("pay_online_at", url=address),
            t(more_time(invoice, provider), checker_url=address),
        )
        caption = t("qr_caption")
    sentences += (t("questions", provider=provider.name),)
    sentences = tuple(pdf.dates_together(sentence) for sentence in sentences)
    width = pdf.epw - _QR_SIZE - 4
    _style(pdf, 9.5, color=_INK)
    if pdf.will_page_break(_payment_block_height(pdf, sentences, width)):
        pdf.add_page()
    _style(pdf, 11, "B", color=_ACCENT)
    pdf.cell(0, 7, t("payment_heading"), align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y()
    link = checker_url(public_base_url, invoice.reference, invoice.language.value)
    _qr_code(pdf, link, x=pdf.w - _RIGHT - _QR_SIZE, y=top)
    _style(pdf, 9.5, color=_INK)
    for sentence in sentences:  # at a letter's leading (_dont_pay_yet)
        pdf.multi_cell(
            width, _LEADING, sentence, align=pdf.align_text, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(1.5)
    pdf.set_y(max(pdf.get_y(), top + _QR_SIZE + 2))
    pdf.set_x(pdf.w - _RIGHT - _CAPTION_WIDTH)
    _caption(pdf, caption)


def _payment_block_height(pdf: FPDF, sentences: tuple[str, ...], width: float) -> float:
    """The height the payment block takes as its sentences wrap in the current type: its
    heading, the sentences beside the QR code (or the code, when taller) and the code's
    caption. The block moves to a new page whole: split at a sentence, its last lines and
    the caption went on to the next page, the caption alone, away from its code (a copy
    whose notice of what changed fills the first page, audit languages3)."""
    lines = sum(
        len(
            cast(list[str], pdf.multi_cell(width, _LEADING, sentence, dry_run=True, output="LINES"))
        )
        for sentence in sentences
    )
    beside_the_code = max(lines * _LEADING + 1.5 * len(sentences), _QR_SIZE + 2)
    return max(_PAYMENT_BLOCK_HEIGHT, 7 + beside_the_code + 4)


def _qr_code(pdf: FPDF, url: str, *, x: float, y: float) -> None:
    """segno's QR code of ``url``, as a PNG fpdf2 embeds; medium error correction survives
    a crease in the paper."""
    png = io.BytesIO()
    segno.make(url, error="m", micro=False).save(png, kind="png", scale=8, border=2)
    png.seek(0)
    pdf.image(png, x=x, y=y, w=_QR_SIZE, h=_QR_SIZE, alt_text=url)


def _style(
    pdf: FPDF, size: float, emphasis: str = "", *, color: tuple[int, int, int] | None = None
) -> None:
    pdf.set_font(_FONT, emphasis, size)
    if color is not None:
        pdf.set_text_color(*color)


# --- the dunning letters (R19, legal-nl.md §2; dunning/letters.py) ---------------------------

# Width (mm) and alignment per column; 168 mm is the width between the margins.
_REMINDER_COLUMNS = ((60.0, "LEFT"), (60.0, "LEFT"), (48.0, "RIGHT"))  # kenmerk, date, due
_Columns = tuple[tuple[float, str], ...]
_NOTICE_COLUMNS: _Columns = (  # kenmerk, principal, costs, interest, total
    (44.0, "LEFT"),
    (31.0, "RIGHT"),
    (33.0, "RIGHT"),
    (27.0, "RIGHT"),
    (33.0, "RIGHT"),
)
_NOTICE_COLUMNS_WITH_FEE: _Columns = (  # ... costs, arrangement fee (R15), interest, total
    (35.0, "LEFT"),  # each wide enough for its bold heading's longest word (nl: 9 pt)
    (25.0, "RIGHT"),
    (28.0, "RIGHT"),
    (34.0, "RIGHT"),
    (21.0, "RIGHT"),
    (25.0, "RIGHT"),
)
_NOTICE_HEADINGS = {  # the amount columns, in order
    "principal_cents": "col_principal",
    "costs_charged_cents": "col_costs",  # what it charged; a part paid since: costs_paid_note
    "fee_cents": "col_fee",
    "interest_cents": "col_interest",
    "total_cents": "col_total",
}


def render_dunning_letter_pdf(
    kind: str,
    context: Mapping[str, Any],
    language: str,
    *,
    provider: Provider,
    addressee: Person,
    compress: bool = True,
) -> bytes:
    """A dunning letter on paper, or attached to its e-mail: the values of the letter's
    context (dunning/letters.py), the sentences of its e-mail (``email.<kind>``, so both
    state the same) and the labels of ``pdf.<kind>``; addressed through the same window
    as the invoice. Dated by the letter: the same letter gives the same bytes. Laid out
    again, its last invoice moved on to the next page, when the bold total of its table of
    amounts found no room under the invoices: it went to that page alone, under the
    repeated headings (a reminder of 27 invoices, a second notice of 24, audit
    dunningpdf54), as the invoice's totals (render_invoice_pdf)."""
    laid_out = (kind, context, language, provider, addressee, compress)
    return _total_never_alone(lambda apart: _letter_document(*laid_out, last_invoice_apart=apart))


def _letter_document(
    kind: str,
    context: Mapping[str, Any],
    language: str,
    provider: Provider,
    addressee: Person,
    compress: bool,
    *,
    last_invoice_apart: bool,
) -> tuple[_Document, bool]:
    """The letter laid out, and whether its table's total went to a new page alone."""
    body = {REMINDER: _reminder_body, SECOND_NOTICE: _second_notice_body}[kind]
    t = texts_for(language, ("common", f"email.{kind}", f"pdf.{kind}"))
    practice = practice_contact(provider)
    address = addressee.address
    pdf = _Document(
        t,
        provider,
        title=t("title"),
        reference=context["reference"],
        dated=context["letter_date"],
        public_base_url=context["checker_url"],
        texts=[addressee.display_name, address.street, address.city, *_shown(practice)],
    )
    pdf.set_compression(compress)
    pdf.add_page()
    _letterhead(pdf, practice, t)
    _window(pdf, addressee, provider, t)
    _facts_block(pdf, _letter_facts(kind, context, t))
    pdf.set_xy(_LEFT, _BODY_TOP)
    _style(pdf, 16, "B", color=_INK)
    pdf.cell(
        0, _LETTER_TITLE_HEIGHT, t("title"), align=pdf.align_text, new_x="LMARGIN", new_y="NEXT"
    )
    _paragraph(pdf, t("greeting", name=context["addressee_name"]))
    total_alone = body(pdf, context, t, last_invoice_apart=last_invoice_apart)
    _letter_payment(pdf, context, t)
    _paragraph(pdf, _arrangement_sentence(kind, context, t))
    _paragraph(pdf, t("already_paid"))
    questions = t("questions", provider=context["provider_name"])
    closing = f"{t('closing')}\n{t('signature', provider=context['provider_name'])}"
    # The closing and the signature stay together, and never go to a page alone: the
    # paragraph before them goes along (audit letters8: a Polish notice's second page
    # held only its closing).
    if pdf.will_page_break(_paragraph_height(pdf, questions) + _paragraph_height(pdf, closing)):
        pdf.add_page()
    _paragraph(pdf, questions)
    _paragraph(pdf, closing)
    return pdf, total_alone


def _arrangement_sentence(kind: str, c: Mapping[str, Any], t: Texts) -> str:
    """R15: the checker's arrangement only when it would grant one; else the practice."""
    last_day = t.long_date(c["final_date"] if kind == REMINDER else c["pay_by"])
    if c["can_arrange"]:
        address = checker_address(c["checker_url"], t.language)
        return t("arrangement", checker_url=address, date=last_day)
    return t("arrangement_via_practice", provider=c["provider_name"], date=last_day)


def _letter_facts(kind: str, c: Mapping[str, Any], t: Texts) -> list[tuple[str, str]]:
    pay_by = c["final_date"] if kind == REMINDER else c["pay_by"]
    facts = [(t("letter_date"), t.long_date(c["letter_date"]))]
    if len(c["invoices"]) == 1:
        facts.append((t("reference"), kenmerk(c["reference"])))
    facts.append((t("pay_by"), t.long_date(pay_by)))
    facts.append((t("total_due"), t.euros(c["total_cents"])))
    return facts


def _reminder_body(
    pdf: _Document, c: Mapping[str, Any], t: Texts, *, last_invoice_apart: bool
) -> bool:
    """Art. 6:96 lid 6 BW: the amount, the term (phrase and date), the BIK if it passes;
    the request that names them on one page, whole. Whether the table's total went to a
    new page alone (_amounts_table)."""
    invoices = c["invoices"]
    _paragraph(pdf, _intro(c, t))
    total_alone = _amounts_table(
        pdf,
        _REMINDER_COLUMNS,
        [t("col_reference"), t("col_invoice_date"), t("col_due")],
        [_reminder_lines(row, t) for row in invoices],
        [t("total_due"), "", t.euros(c["total_cents"])],
        last_invoice_apart=last_invoice_apart,
    )
    term = c["term_phrases"][t.language]
    final_date = t.long_date(c["final_date"])
    _paragraph(
        pdf,
        t("request", amount=t.euros(c["total_cents"]), term=term, date=final_date),
        emphasis="B",
        whole=True,
    )
    _paragraph(pdf, t("costs", costs=t.euros(c["costs_cents"])))
    if c["interest_from"] is not None:
        _paragraph(pdf, t("interest", date=t.long_date(c["interest_from"])))
    else:
        dates = "; ".join(
            t(
                "interest_each_item",
                reference=kenmerk(row["reference"]),
                date=t.long_date(row["interest_from"]),
            )
            for row in invoices
        )
        _paragraph(pdf, t("interest_each", dates=dates))
    return total_alone


def _reminder_lines(row: Mapping[str, Any], t: Texts) -> list[list[str]]:
    """An invoice's line, and under it the fee of a cancelled arrangement still owed."""
    lines = [
        [kenmerk(row["reference"]), t.long_date(row["issue_date"]), t.euros(row["principal_cents"])]
    ]
    if row["fee_cents"]:
        lines.append([t("fee_line"), "", t.euros(row["fee_cents"])])
    return lines


def _second_notice_body(
    pdf: _Document, c: Mapping[str, Any], t: Texts, *, last_invoice_apart: bool
) -> bool:
    """What is due now (R20) and the day the claim goes to the collection agency (R19);
    an arrangement fee still owed in a column of its own, apart from the BIK (R15). No
    costs charged (a nil BIK, legal-nl.md §2-§3): the letter names none, as the e-mail; nor
    the interest as owed when that is nil too (now_due_key), nor a column of € 0,00 for it
    (interest_note_key says what is true); costs charged and paid since are still named, at
    what it charged, with what is paid of them under the table (a retry renders it again,
    R38). The request on one page, whole. Whether the table's total went to a new page
    alone (_amounts_table)."""
    with_costs, with_fee = bool(c["costs_charged_cents"]), bool(c["fee_cents"])
    with_interest = bool(c["interest_cents"])
    _paragraph(pdf, _intro(c, t))
    _paragraph(
        pdf,
        t(now_due_key(c["costs_charged_cents"], c["interest_cents"], c["costs_as_announced"])),
    )
    shown = {
        "costs_charged_cents": with_costs,
        "fee_cents": with_fee,
        "interest_cents": with_interest,
    }
    amounts = [key for key in _NOTICE_HEADINGS if shown.get(key, True)]
    total_alone = _amounts_table(
        pdf,
        _notice_columns(with_costs, with_fee, with_interest),
        [t("col_reference")] + [t(_NOTICE_HEADINGS[key]) for key in amounts],
        [
            [[kenmerk(row["reference"])] + [t.euros(row[key]) for key in amounts]]
            for row in c["invoices"]
        ],
        [t("total_due")] + [t.euros(c[key]) for key in amounts],
        last_invoice_apart=last_invoice_apart,
    )
    if c["costs_paid_cents"]:
        charged, paid = t.euros(c["costs_charged_cents"]), t.euros(c["costs_paid_cents"])
        _paragraph(pdf, t("costs_paid_note", charged=charged, paid=paid))
    if c["costs_forgiven_cents"]:
        charged, forgiven = t.euros(c["costs_charged_cents"]), t.euros(c["costs_forgiven_cents"])
        _paragraph(pdf, t("costs_forgiven_note", charged=charged, forgiven=forgiven))
    interest_note = interest_note_key(c["principal_cents"], c["interest_cents"])
    if interest_note:
        _paragraph(pdf, t(interest_note, date=t.long_date(c["interest_through"])))
    _paragraph(
        pdf,
        t("request", amount=t.euros(c["total_cents"]), date=t.long_date(c["pay_by"])),
        emphasis="B",
        whole=True,
    )
    handover = t.long_date(c["handover_date"])
    _paragraph(pdf, t("handover", date=handover, provider=c["provider_name"]))
    return total_alone


def _notice_columns(with_costs: bool, with_fee: bool, with_interest: bool) -> _Columns:
    """The second notice's column widths: without costs or interest the kenmerk's column
    takes theirs."""
    (kenmerk_width, kenmerk_alignment), principal, costs, *rest = (
        _NOTICE_COLUMNS_WITH_FEE if with_fee else _NOTICE_COLUMNS
    )
    *fee, interest, total = rest
    left_out = ([] if with_costs else [costs]) + ([] if with_interest else [interest])
    kenmerk_width += sum(width for width, _ in left_out)
    return (
        (kenmerk_width, kenmerk_alignment),
        principal,
        *([costs] if with_costs else []),
        *fee,
        *([interest] if with_interest else []),
        total,
    )


def _intro(c: Mapping[str, Any], t: Texts) -> str:
    count = len(c["invoices"])
    key = "intro_several" if count > 1 else "intro"
    values: dict[str, Any] = {"provider": c["provider_name"], "count": count}
    if "reminder_date" in c:  # the second notice recalls the reminder
        values |= {
            "date": t.long_date(c["reminder_date"]),
            "final_date": t.long_date(c["reminder_final_date"]),
        }
    return t(key, **values)


def _amounts_table(
    pdf: _Document,
    columns: tuple[tuple[float, str], ...],
    headings: list[str],
    invoices: list[list[list[str]]],
    total: list[str],
    *,
    last_invoice_apart: bool,
) -> bool:
    """Rows per invoice (its line, and a reminder's fee line under it), amounts
    right-aligned, the total in bold under them; ``last_invoice_apart``: the last
    invoice's rows on the next page, under the headings again, so that the total stands
    under them. Whether the total went to a new page alone, under the repeated headings
    and no invoice of its own (R7, R19; audit dunningpdf54)."""
    _style(pdf, 9, color=_INK)
    pdf.set_draw_color(*_MUTED)
    widths, alignments = zip(*columns, strict=True)
    rows = [row for rows in invoices for row in rows]
    widths = _widths_to_fit(pdf, widths, headings, [*rows, total])
    kept, apart = (invoices[:-1], invoices[-1:]) if last_invoice_apart else (invoices, [])
    first_page = pdf.page
    if kept:
        kept_rows = [row for rows in kept for row in rows]
        _ruled_amounts(pdf, widths, alignments, [headings, *kept_rows], [] if apart else total)
    if apart:
        pdf.add_page()
        _ruled_amounts(pdf, widths, alignments, [headings, *apart[0]], total)
    # Alone, the total stands right under the headings at the top of a later page.
    under_headings = pdf.body_top + sum(
        _amounts_row_height(pdf, widths, row) for row in (headings, total)
    )
    total_alone = pdf.page > first_page and pdf.get_y() < under_headings + _AMOUNTS_LINE / 2
    pdf.ln(_AFTER_AMOUNTS)
    return total_alone


def _ruled_amounts(
    pdf: _Document,
    widths: Sequence[float],
    alignments: Sequence[str],
    rows: list[list[str]],
    total: list[str],
) -> None:
    """``rows`` under the first, the headings, and ``total`` in bold when there is one."""
    with pdf.ruled_table(
        widths, alignments, padding=_AMOUNTS_PADDING, line_height=_AMOUNTS_LINE
    ) as table:
        for row in rows:
            table.row(pdf.in_reading_order(row))
        if total:
            table.row(pdf.in_reading_order(total), style=FontFace(emphasis="BOLD"))


def _amounts_row_height(pdf: _Document, widths: Sequence[float], row: list[str]) -> float:
    """The height of a bold row of the table of amounts (the headings, the total): its
    tallest cell as the table wraps it, between its padding."""
    _style(pdf, 9, "B")
    heights = [
        pdf.multi_cell(
            width,
            _AMOUNTS_LINE,
            text,
            max_line_height=_AMOUNTS_LINE,
            padding=Padding.new((_AMOUNTS_PADDING, _CELL_PADDING)),
            dry_run=True,
            output="HEIGHT",
        )
        for width, text in zip(widths, row, strict=True)
    ]
    _style(pdf, 9)
    return max(cast(float, height) for height in heights)


def _widths_to_fit(
    pdf: _Document, widths: Sequence[float], headings: list[str], rows: list[list[str]]
) -> tuple[float, ...]:
    """The columns' ``widths`` moved so that every amount and total stands on one line and
    the headings on as few lines as the table's width allows: each column as wide as its
    widest cell, or its heading on that many lines, the room left shared as ``widths``
    share the table. A heading wrapped in a column narrower than it needed made the row
    two lines high while the others had room to spare, and took the Polish second notice
    to a second page for its closing alone (LANG3-2); with the fee's column the Polish
    "Numer referencyjny płatności" took three lines while "Koszt planu ratalnego" had
    room for a word more (letters10). When even that does not fit, the given widths, in
    which the headings wrap by word. ``rows``' last is the total, in bold."""
    room = 2 * _CELL_PADDING + 0.5  # the cell's padding either side, and its rule's width
    cells = [0.0] * len(widths)
    for number, line in enumerate(rows):
        _style(pdf, 9, "B" if number == len(rows) - 1 else "")
        for column, text in enumerate(line):
            cells[column] = max(cells[column], pdf.get_string_width(text) + room)
    _style(pdf, 9, "B")
    for lines in range(1, 4):
        needed = [
            max(cell, _widest_line(pdf, heading, lines) + room)
            for cell, heading in zip(cells, headings, strict=True)
        ]
        spare = sum(widths) - sum(needed)
        if spare >= 0:
            break
    _style(pdf, 9)
    if spare < 0:
        return tuple(widths)
    return tuple(
        width + spare * given / sum(widths) for width, given in zip(needed, widths, strict=True)
    )


def _widest_line(pdf: FPDF, text: str, lines: int) -> float:
    """The width of the widest line of ``text`` broken between its words into at most
    ``lines`` lines as narrow as they can be, in the type set."""
    words = text.split()
    longest = max((pdf.get_string_width(word) for word in words), default=0.0)
    spans = sorted(
        {
            pdf.get_string_width(" ".join(words[first:last]))
            for first in range(len(words))
            for last in range(first + 1, len(words) + 1)
        }
    )
    for width in (
        span for span in spans if span >= longest
    ):  # the narrowest width in which the words wrap into ``lines``
        count, line = 1, 0.0
        for word in words:
            wide = pdf.get_string_width(word if not line else f" {word}")
            if line and line + wide > width + 1e-6:
                count, line = count + 1, pdf.get_string_width(word)
            else:
                line += wide
        if count <= lines:
            return width
    return 0.0


def _letter_payment(pdf: _Document, c: Mapping[str, Any], t: Texts) -> None:
    """Online through the checker, or a transfer quoting each invoice's own kenmerk: the
    kenmerk decides which invoice a payment is for (legal-nl.md §5, art. 6:43 BW)."""
    if len(c["invoices"]) > 1:
        transfer = t("pay_transfer_several", iban=unbroken(c["iban"]), holder=c["account_holder"])
    else:
        transfer = t(
            "pay_transfer",
            amount=t.euros(c["total_cents"]),
            iban=unbroken(c["iban"]),
            holder=c["account_holder"],
            reference=kenmerk(c["reference"]),
        )
    if pdf.will_page_break(_PAYMENT_BLOCK_HEIGHT):
        pdf.add_page()
    _style(pdf, 11, "B", color=_ACCENT)
    pdf.cell(
        0,
        _HOW_HEADING_HEIGHT,
        t("how_heading"),
        align=pdf.align_text,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _paragraph(pdf, t("pay_online_at", url=checker_address(c["checker_url"], t.language)))
    _paragraph(pdf, transfer)


def _paragraph(pdf: _Document, text: str, *, emphasis: str = "", whole: bool = False) -> None:
    """``whole``: on the next page rather than split across two (a letter's request, with
    its amount, term and date: audit dunningpdf54 found its last line alone on page 2)."""
    text = pdf.dates_together(text)
    if whole and pdf.will_page_break(_paragraph_height(pdf, text, emphasis=emphasis)):
        pdf.add_page()
    _style(pdf, 9.5, emphasis, color=_INK)
    pdf.multi_cell(0, _LEADING, text, align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(_AFTER_PARAGRAPH)


def _paragraph_height(pdf: _Document, text: str, *, emphasis: str = "") -> float:
    """The height ``_paragraph`` takes for ``text`` (its wrapped lines and the space after)."""
    _style(pdf, 9.5, emphasis, color=_INK)
    return len(_wrapped(pdf, text, pdf.epw, _LEADING)) * _LEADING + _AFTER_PARAGRAPH


# --- a confirmation on paper (R7: without an e-mail address that works) ---------------------


def render_message_pdf(
    email: RenderedEmail,
    *,
    provider: Provider,
    addressee: Person,
    dated: date,
    public_base_url: str,
    compress: bool = True,
) -> bytes:
    """A confirmation e-mail's text part as a letter through the window envelope: the same
    sentences the e-mail has (rendered ``on_paper``, without the e-mail's own footer),
    under the practice's letterhead, titled by its subject and dated the day it is made;
    below them the QR code to the checker, as on the invoice (R36)."""
    t = texts_for(email.language, ("common", "pdf.invoice"))
    practice = practice_contact(provider)
    address = addressee.address
    pdf = _Document(
        t,
        provider,
        title=email.subject,
        reference=email.reference,
        dated=dated,
        public_base_url=public_base_url,
        texts=[addressee.display_name, address.street, address.city, *_shown(practice)],
    )
    pdf.set_compression(compress)
    pdf.add_page()
    _letterhead(pdf, practice, t)
    _window(pdf, addressee, provider, t)
    _facts_block(pdf, [(t("reference"), kenmerk(email.reference))])
    pdf.set_xy(_LEFT, _BODY_TOP)
    _style(pdf, 9.5, color=_MUTED)
    pdf.cell(0, 5, t.long_date(dated), align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")
    _style(pdf, 13, "B", color=_INK)
    pdf.multi_cell(0, 7, email.subject, align=pdf.align_text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for block in email.text.strip().split("\n\n"):
        _paragraph(pdf, block.strip("\n"))
    link = checker_url(public_base_url, email.reference, email.language)
    _checker_code(pdf, link, t("qr_caption"))
    return bytes(pdf.output())


def _checker_code(pdf: _Document, link: str, caption: str) -> None:
    """The QR code that opens ``link`` (the checker with the kenmerk filled in) at the
    right under the letter, captioned, kept together on one page: on paper the patient
    scans it rather than types the e-mail's link. When the page has no room left for it,
    on the first page right of the window, under the one fact there (the kenmerk), rather
    than on a sheet of its own (audit letters8: a twelve-term arrangement's confirmation
    was posted on two sheets, the second holding the code alone). A letter whose text ran
    on to a second page has it there too, on the first page with the kenmerk, not under
    the text on the last (letters10)."""
    left = pdf.w - _RIGHT - _QR_SIZE
    if pdf.page > 1 or pdf.will_page_break(_QR_SIZE + 8):
        last, pdf.page = pdf.page, 1
        _qr_code(pdf, link, x=left, y=_QR_BESIDE_WINDOW)
        pdf.set_xy(left - 5, _QR_BESIDE_WINDOW + _QR_SIZE + 1)
        _caption(pdf, caption)
        pdf.page = last
        return
    top = pdf.get_y() + 2
    _qr_code(pdf, link, x=left, y=top)
    pdf.set_y(top + _QR_SIZE + 1)
    pdf.set_x(left - 5)
    _caption(pdf, caption)


def _caption(pdf: FPDF, caption: str) -> None:
    """The QR code's caption, centred under it, in type small enough for its cell."""
    _fitted(pdf, caption, _CAPTION_WIDTH, 7.5)
    pdf.cell(_CAPTION_WIDTH, 4, caption, align="C", new_x="LMARGIN", new_y="NEXT")
