"""A read of the audit (R32, NEN 7513) in the words of the practice's access log page (R35,
R9): what was read and what kind of page or answer it was, never a record's raw subject
(``invoice:<uuid>``, ``blocked``). The one mapping from a record to words; the CSV keeps
the ids (``shared/audit.reads_csv``, the API's file).

The subjects are those ``shared/audit`` and the services write: a list's heading
(``blocked``, ``block_changes``, ``actions``, ``held_credits``, ``by_name``, a period
``a..b``, a batch's id, ``retrocession:``/``insurer-claims:``/``declaration:`` for a file)
and the ids it showed (``patient:``, ``invoice:``, ``action:``, ``kenmerk:``, ``credit:``).
The patient numbers a read names are said, the one asked for first: that is what the
admin looks for; invoices, actions and kenmerken are counted (a kenmerk, which a person
can read, is said too)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from billing_core.shared.reference import grouped
from billing_core.texts.catalogue import Texts
from billing_core.texts.portal import week_of

MOST_NAMED = 3  # patient numbers or kenmerken said in one cell; the CSV has every one


def read_words(
    kind: str,
    subject: str,
    t: Texts,
    patient: str = "",
    invoices: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[str, str]:
    """(what was read, what kind of read) of a record of ``kind`` and ``subject`` in the
    language of ``t`` (the portal's texts); ``patient``: the number the admin asked for,
    said first when the read names it; ``invoices``: the kenmerk and patient number of an
    invoice by its id, for a read of one invoice or its letter (its subject starts with
    the id; one of an invoice deleted since says its patient's number, when it names it)."""
    words = subject.split()
    if kind in ("invoice", "letter") and words:
        # its id, and the patient it showed (``naming_patient``; none in a read before it)
        named = (invoices or {}).get(words[0].partition(":")[0])
        if named is not None:
            what = t(f"read_what_{kind}_named", kenmerk=grouped(named[0]))
            what = t("read_what_with_patients", what=what, patients=_said([named[1]], t, "patient"))
            return what, t(f"read_kind_{kind}")
    ids: dict[str, list[str]] = {}
    for word in words:
        prefix, _, value = word.partition(":")
        ids.setdefault(prefix if value else "", []).append(value or word)
    heading = ids.get("", [""])[0]
    what = _what(kind, heading, ids, t)
    patients = _named(ids.get("patient", []), patient.strip())
    if patients:
        what = t("read_what_with_patients", what=what, patients=_said(patients, t, "patient"))
    label = "actions" if kind == "patient_list" and heading == "actions" else kind
    return what, t(f"read_kind_{label}")


def _what(kind: str, heading: str, ids: dict[str, list[str]], t: Texts) -> str:
    count = {prefix: len(values) for prefix, values in ids.items()}
    if kind == "invoice_list":
        key = "read_what_held_credits" if heading == "held_credits" else "read_what_invoices"
        what = t(key, count=count.get("invoice", 0))
        return t("read_what_by_name", what=what) if heading == "by_name" else what
    if kind == "patient_list":
        if heading == "actions":
            return t("read_what_actions", count=count.get("action", 0))
        return t("read_what_block_changes" if heading == "block_changes" else "read_what_blocked")
    if kind == "export":
        return _file(ids, t)
    if kind == "audit":
        return _period(heading, t)
    if kind == "refund_batch":
        kenmerken = ids.get("kenmerk", [])
        if not kenmerken:
            return t("read_what_refund_batch")
        return t("read_what_refunds", kenmerken=_said(kenmerken, t, "kenmerk", grouped))
    if kind == "bank_credits":
        return t("read_what_bank_credit", count=count.get("invoice", 0))
    return t(f"read_what_{kind}") if f"read_what_{kind}" in t.entries else t("read_what_other")


def _file(ids: dict[str, list[str]], t: Texts) -> str:
    """A file: a retrocession statement of a week, an upload's processing report, or the
    insurer claim files of an insurer (``*``: every insurer)."""
    if "retrocession" in ids:
        label, _, form = ids["retrocession"][0].rpartition(".")
        return t("read_what_retrocession", week=_week(label, t), format=form.upper())
    if "insurer-claims" in ids:
        uzovi = ids["insurer-claims"][0]
        count = len(ids.get("declaration", []))
        if uzovi == "*":
            return t("read_what_insurer_claims_all", count=count)
        return t("read_what_insurer_claims", uzovi=uzovi, count=count)
    if "declaration" in ids:
        return t("read_what_report")
    return t("read_what_other")


def _week(label: str, t: Texts) -> str:
    """A statement's week ("2026-W47") as the payouts page says it; its label when it is
    none (a record is never left out of the log for its words)."""
    year, _, number = label.partition("-W")
    try:
        return week_of(int(year), int(number), t)
    except ValueError:
        return label


def _period(heading: str, t: Texts) -> str:
    first, _, last = heading.partition("..")
    try:
        days = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return t("read_what_audit")
    return t("read_what_audit_period", first=t.short_date(days[0]), last=t.short_date(days[1]))


def _named(numbers: list[str], asked: str) -> list[str]:
    """The patient numbers, each once, the one asked for first."""
    named = list(dict.fromkeys(numbers))
    if asked in named:
        named.remove(asked)
        named.insert(0, asked)
    return named


def _said(values: Sequence[str], t: Texts, noun: str, shown: Callable[[str], str] = str) -> str:
    """``patiënt PAT1`` / ``patiënten PAT1, PAT2, PAT3 en nog 4``: the first MOST_NAMED."""
    if not values:
        return ""
    said = ", ".join(shown(value) for value in values[:MOST_NAMED])
    more = len(values) - MOST_NAMED
    if more > 0:
        said = f"{said} {t('access_log_more', count=more)}"
    return t.plural(f"read_{noun}", len(values), values=said)
