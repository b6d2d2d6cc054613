"""Finding a practice's invoices by the patient's name (R35, issue 16): case and
diacritics do not matter ("Çelik" is found as "celik", "d'Ancona" as "dancona", "Yılmaz"
as "yilmaz", "Søndergaard" as "sondergaard"), and every word typed must begin a word of
the patient's or the debtor's name. A name in another script (Arabic, Cyrillic) is
compared in its own letters, without its vowel marks.

The invoice keeps its names in this normalised form (``searchable_names``) so the store
can match them inside its bounded query (a filter on the provider's index, within the
period asked) instead of reading and comparing every invoice in Python.
"""

from __future__ import annotations

import re
import unicodedata

from billing_core.invoices.invoice import Invoice

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script
# d'Ancona and Col·lell: one word, as people type them. The letters NFKD does not take
# apart (casefolded) become what a Dutch keyboard types for them (audit INTERFACES1).
_FOLDED = str.maketrans(
    {"'": "", "’": "", "`": "", "´": "", "·": "", "ı": "i", "ł": "l", "ø": "o", "æ": "ae"}
    | {"œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k"}
)


def name_words(text: str) -> tuple[str, ...]:
    """Lower case, accents off, apostrophes dropped, split on anything else. The one
    folding of both sides: the names an invoice stores and the words typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDED))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_WORD.findall(bare))


def searchable_names(invoice: Invoice) -> str:
    """The words of the patient's and the debtor's name, each preceded by a space, so a
    search word matches the beginning of a name word: ``contains(" " + word)``."""
    people = (invoice.patient, invoice.debtor) if invoice.debtor else (invoice.patient,)
    words = (w for p in people for w in name_words(f"{p.initials} {p.name_prefix} {p.last_name}"))
    return "".join(f" {word}" for word in dict.fromkeys(words))


def search_terms(typed: str) -> tuple[str, ...]:
    """What the store looks for in ``searchable_names``: each typed word, at a word start.
    Empty for a text without letters or digits ("-"): a search the service refuses, since
    no term would be every invoice."""
    return tuple(f" {word}" for word in dict.fromkeys(name_words(typed)))


def matches(invoice: Invoice, typed: str) -> bool:
    names = searchable_names(invoice)
    return all(term in names for term in search_terms(typed))
