"""The one shape every catalogue of texts has, and the one way to look a text up (R9).

A catalogue maps a language to sections, and a section maps keys to ``str.format``
patterns: ``{"nl": {"email.invoice": {"subject": "Nota van {provider}"}}}``. A section is
what one piece of reading uses: a page, an e-mail, a letter, the refusals. Adding a
language (Polish, Arabic) is adding its sections to the catalogue; no lookup changes.

Two lookups, one rule (Dutch when the reader's language lacks the text):

- ``texts_for(language, sections)`` serves a whole document, in the reader's language
  only when that language has every key of those sections, otherwise in Dutch, so nobody
  reads a page or letter that is half translated.
- ``text(section, key, language, **values)`` serves one sentence (a refusal, a finding),
  in the reader's language when it has that sentence, otherwise in Dutch.

Patterns hold no markup: HTML templates escape them like any other value, and the PDF
prints them as they are. A value that is itself language-dependent (a record name, an
amount written the Dutch or the English way) is passed once per language as
``name_nl``, ``name_en``: the pattern in language xx names ``{name_xx}`` (so a Polish
pattern naming such a value needs its caller to pass ``name_pl``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from billing_core.shared.money import format_euros

if TYPE_CHECKING:
    from decimal import Decimal

DEFAULT_LANGUAGE = "nl"
# R9: the languages a patient may have. The patient's catalogues have all four; one without
# Polish or Arabic (the practice's) gives those readers Dutch.
LANGUAGES = ("nl", "en", "pl", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})

Section = Mapping[str, str]
Sections = Mapping[str, Section]

# Month names written out, not taken from the system locale: Lambda has only C.UTF-8.
MONTHS: Mapping[str, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    # The genitive, as a Polish date is written: "23 listopada 2026".
    "pl": (
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    # The Gregorian month names of Modern Standard Arabic as written in Egypt, Sudan and the
    # Gulf states, and understood everywhere: not the Levantine and Iraqi كانون/تشرين
    # series, nor the French-derived جانفي/فيفري of Algeria and Tunisia.
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}


# A patient number typed in another letter case than its invoices write it (services.inputs.
# refuse_another_case), said in one place: a part of a sentence for the API (texts.practice
# INPUTS "patient_ref_case"), a sentence of its own on the portal's search and access log
# (texts.portal "invalid_patient_ref_case", ``as_sentence``) (R35, R32; words53).
PATIENT_REF_CASE_NL = (
    "geen nota heeft dit patiëntnummer zo geschreven, wel als {found}: hoofdletters en kleine"
    " letters tellen"
)
PATIENT_REF_CASE_EN = (
    "no invoice has this patient number written so, but as {found}: the case of its letters counts"
)


def as_sentence(part: str) -> str:
    """A part of a sentence, as the API says it after a field's name, as a sentence of its
    own: its first letter a capital, a full stop after it."""
    return f"{part[:1].upper()}{part[1:]}."


# Words for how something follows that hold for either channel: the checker before the
# birth date is checked, which must not tell anyone with a kenmerk whether the patient has
# a working e-mail address (R10, R36: status, amounts and dates only until then).
UNSAID = "unsaid"

# R7: how what a sentence promises (the adjusted amount, a confirmation) reaches the reader:
# by e-mail to an address that works, else by post (invoices.invoice.Invoice.follow_up_channel).
_BY_CHANNEL: Mapping[str, Mapping[str, str]] = {
    "email": {"nl": "per e-mail", "en": "by e-mail", "pl": "e-mailem", "ar": "بالبريد الإلكتروني"},
    # pl, ar: not yet reviewed by a native speaker.
    "paper": {"nl": "per post", "en": "by post", "pl": "pocztą", "ar": "بالبريد العادي"},
    # pl, ar: not yet reviewed by a native speaker. An e-mail is written too.
    UNSAID: {"nl": "schriftelijk", "en": "in writing", "pl": "pisemnie", "ar": "كتابيًا"},
}


def by_channel(channel: str) -> dict[str, str]:
    """The words for "by e-mail" or "by post" (``channel``: "email", "paper"; ``UNSAID``:
    "in writing", for either), once per language as the patterns name them
    (``{by_channel_nl}``, ``{by_channel_en}``, ...): the one way a patient's text says how
    something follows, on the checker, in the patient API's refusals and in the PDFs (R7,
    R36, R37)."""
    return {f"by_channel_{language}": word for language, word in _BY_CHANNEL[channel].items()}


def arabic_plural(count: int) -> str:
    """The form an Arabic noun takes after ``count`` (CLDR's categories): "one" (يوم واحد),
    "two" (يومين), "few" for 3 to 10 after the hundreds (7 أيام, a plural), "many" for 11 to
    99 (30 يومًا, a singular), "other" for 0 and 100, 101, 102 (100 يوم)."""
    rest = count % 100
    if count in (1, 2):
        return ("one", "two")[count - 1]
    if 3 <= rest <= 10:
        return "few"
    if 11 <= rest <= 99:
        return "many"
    return "other"


_ARABIC_DAYS = {
    "one": "يوم واحد",
    "two": "يومين",
    "few": "{count} أيام",
    "many": "{count} يومًا",
    "other": "{count} يوم",
}


def days_counted(count: int) -> dict[str, str]:
    """``count`` days in the number each language writes after a count, once per language
    as the patterns name them (``{days_nl}``, ``{days_en}``, ...): "1 dag" / "30 dagen",
    "1 day" / "30 days", "1 dzień" / "2 dni" / "30 dni" (every count but 1), "يوم واحد" /
    "يومين" / "7 أيام" / "30 يومًا" (R9: a practice sets its deferral from 1 to 90 days,
    R14; "1 dagen", "1 dni", "7 يومًا" were wrong)."""
    one = count == 1
    return {
        "days_nl": f"{count} {'dag' if one else 'dagen'}",
        "days_en": f"{count} {'day' if one else 'days'}",
        "days_pl": f"{count} {'dzień' if one else 'dni'}",
        "days_ar": _ARABIC_DAYS[arabic_plural(count)].format(count=count),
    }


# The values that name a person or a practice (written in Latin letters, or Arabic ones).
_NAMES = frozenset({"name", "provider", "patient", "holder"})


def _isolated(name: str, value: object) -> object:
    """A name in a right-to-left sentence between FIRST STRONG ISOLATE and POP DIRECTIONAL
    ISOLATE (U+2068, U+2069), as an amount stands between U+2066 and U+2069: it keeps its
    own direction and its last character, "J. Ağaoğlu Jr." read "Jr" with its "." moved
    to the Arabic words after it (the bidi algorithm gives a neutral at a name's end the
    sentence's direction; R9, names7). A value that holds an isolate already is a phrase
    of the catalogue ("{provider} في {city}"): isolated whole, its Arabic words would read
    in the Latin name's order."""
    if name in _NAMES and isinstance(value, str) and value and "\u2069" not in value:
        return f"\u2068{value}\u2069"
    return value


@dataclass(frozen=True, slots=True)
class Texts:
    """The texts of one document in one language, with the language's way of writing
    amounts and dates. Call it with a key and the values its pattern names."""

    language: str
    entries: Mapping[str, str]

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    def __call__(self, key: str, /, **values: object) -> str:
        # A missing key or value raises KeyError: a wrong letter must not go out.
        pattern = self.entries[key]
        for name, value in values.items():
            # A value with its own full stop ("… B.V.") ends the sentence it closes: no
            # second one after it ("B.V..").
            if isinstance(value, str) and value.endswith(".") and f"{{{name}}}." in pattern:
                pattern = pattern.replace(f"{{{name}}}.", f"{{{name}}}")
        if self.language in RIGHT_TO_LEFT:
            values = {name: _isolated(name, value) for name, value in values.items()}
        return pattern.format(**values)

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """A sentence about ``count`` things in the number the count asks for: the key's
        ``_one`` pattern for exactly 1, else its ``_other`` ("1 factuur", "0 facturen",
        "2 invoices"); the one way a page counts, never "invoice(s)" (R9). Dutch and English
        need no other forms; a language that does would add its own keys here."""
        return self(f"{key}_{'one' if count == 1 else 'other'}", count=count, **values)

    def euros(self, cents: int) -> str:
        return format_euros(cents, self.language)

    def long_date(self, day: date) -> str:
        return long_date(day, self.language)

    def short_date(self, day: date) -> str:
        return short_date(day, self.language)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The texts of one audience (the patient, the practice, the letters), per language.
    ``languages`` is read at every lookup, so a test may add a language or a section."""

    languages: Mapping[str, Sections]

    def texts_for(self, language: str, sections: Sequence[str]) -> Texts:
        """The given sections in ``language`` if it has them all, else in Dutch."""
        chosen = language if self._has_all(language, sections) else DEFAULT_LANGUAGE
        entries: dict[str, str] = {}
        for name in sections:
            section = self.languages[chosen][name]
            clash = entries.keys() & section.keys()
            if clash:
                raise ValueError(f"text keys in more than one section: {sorted(clash)}")
            entries.update(section)
        return Texts(chosen, entries)

    def text(self, section: str, key: str, language: str, /, **values: object) -> str:
        """One sentence in ``language``, or in Dutch while that language lacks it."""
        own = self.languages.get(language, {}).get(section, {})
        pattern = own[key] if key in own else self.languages[DEFAULT_LANGUAGE][section][key]
        return pattern.format(**values)

    def translations(self, section: str, key: str, /, **values: object) -> dict[str, str]:
        """One sentence in every language that has it (Dutch always)."""
        return {
            language: sections[section][key].format(**values)
            for language, sections in self.languages.items()
            if key in sections.get(section, {})
        }

    def _has_all(self, language: str, sections: Sequence[str]) -> bool:
        """Complete means: every key the Dutch section has, so no sentence goes missing."""
        own = self.languages.get(language, {})
        dutch = self.languages[DEFAULT_LANGUAGE]
        return all(name in own and own[name].keys() >= dutch[name].keys() for name in sections)


def catalogue(**languages: Sections) -> Catalogue:
    """A catalogue of the texts given per language, with an empty place for every other
    language of R9."""
    return Catalogue({**{language: {} for language in LANGUAGES}, **languages})


def long_date(day: date, language: str) -> str:
    """23 november 2026 / 23 November 2026 / 23 listopada 2026 / 23 نوفمبر 2026."""
    months = MONTHS.get(language, MONTHS[DEFAULT_LANGUAGE])
    return f"{day.day} {months[day.month - 1]} {day.year}"


# A month abbreviated as the language does ("mrt" in Dutch): a chart's axis, a week's days.
SHORT_MONTHS: Mapping[str, tuple[str, ...]] = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": tuple(name[:3] for name in MONTHS["en"]),
}


def day_span(first: date, last: date, language: str) -> str:
    """The days from ``first`` to ``last`` as a reader writes them, the month and year
    once: "16-22 nov 2026" / "16-22 Nov 2026", "30 nov - 6 dec 2026", "28 dec 2026 -
    3 jan 2027"; in full dates in a language without its abbreviations (R9)."""
    months = SHORT_MONTHS.get(language)
    if months is None:
        return f"{long_date(first, language)} - {long_date(last, language)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {months[last.month - 1]} {last.year}"
    end = f"{last.day} {months[last.month - 1]} {last.year}"
    start = f"{first.day} {months[first.month - 1]}"
    return f"{start} - {end}" if first.year == last.year else f"{start} {first.year} - {end}"


def short_date(day: date, language: str) -> str:
    """For table columns: 23-11-2026 in Dutch; 23 Nov 2026 in English, where 11/23 or
    23/11 would depend on who reads it; 23.11.2026 in Polish; 23/11/2026 in Arabic (day
    first, as in every Arabic-speaking country)."""
    if language == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1][:3]} {day.year}"
    separator = {"pl": ".", "ar": "/"}.get(language, "-")
    return separator.join((f"{day.day:02d}", f"{day.month:02d}", str(day.year)))


# The languages that write a decimal comma (62,5); the others a decimal point.
DECIMAL_COMMA = frozenset({"nl", "pl"})


def counted(number: int, language: str) -> str:
    """A count as its reader writes it in a sentence: 9.950 in Dutch, 9,950 in English and
    Arabic, 9 950 in Polish (a no-break space, so it never wraps inside)."""
    grouped = f"{number:,}"
    return grouped.replace(",", {"nl": ".", "pl": "\u00a0"}.get(language, ","))


def typed_number(number: Decimal | int, language: str) -> str:
    """A number as a reader of ``language`` types it in a form field, and as the form
    reads it back (portal pages._typed_decimal): no trailing zeros and no thousands
    sign, a decimal comma in Dutch and Polish (62,5), a point in English and Arabic."""
    written = format(number, "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return written.replace(".", ",") if language in DECIMAL_COMMA else written
