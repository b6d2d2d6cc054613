"""CAMT.053 bank-to-customer statements, read safely (R12).

A statement is XML from outside: it is parsed with defusedxml, which refuses any DTD,
so entity bombs ("billion laughs") and external entities (XXE) are a StatementError
before a single element is read, and nothing gets booked. Any camt.053.001.NN namespace
is read; the elements used here are the same in .02 and .08 except where noted.

Per entry (Ntry) and per transaction in it (TxDtls) this yields a BankTransaction:

- entry_reference, the key that makes a second import of the same entry a duplicate,
  also in another statement that repeats it (R12): the bank's own reference of the entry
  (Ntry/AcctSvcrRef). Without it, what the bank keeps the same in every statement:
  TxDtls/Refs/AcctSvcrRef, else ``tx/{TxId}/{CdtDbtInd}/{booking date}/{cents}`` (a
  return repeats its credit's TxId, so the direction, day and amount are in it). Only
  when there is none of them ``{Stmt/Id}/{NtryRef}`` (NtryRef is numbered within its
  statement), and a batch's parts ``{entry}/{n}``; ``statement_reference`` keeps that
  key, which is how such an entry was keyed before, so a statement imported then is
  still recognised when it comes again.
- the kenmerk candidates: the structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref
  typed SCOR, or the Dutch Currence type CUR as Prtry or Issr), and the unstructured
  remittance (RmtInf/Ustrd; AddtlTxInf/AddtlNtryInf when there is none, and AddtlTxInf
  when the Ustrd holds no kenmerk).
- returns: RvslInd true, or a debit carrying RtrInf (reason code AC04, MD06, ...), or a
  debit the bank's transaction code calls the return or recall of a received transfer
  (BkTxCd PMNT/RCDT/RRTN or RPCR, of the TxDtls, else of the entry) without RtrInf. A
  return points back at the original transfer through the ids the original carried
  and the return repeats: TxDtls/Refs/TxId and EndToEndId (pacs.004 OrgnlTxId,
  OrgnlEndToEndId).

Payer name, IBAN and remittance text are kept for manual matching only; they are left
out of ``repr`` so they cannot slip into a log line (R29).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from billing_core.shared import reference
from billing_core.shared.clock import amsterdam_day

MAX_STATEMENT_BYTES = 20 * 1024 * 1024  # a year of daily entries of a large practice fits
_DOCUMENT = re.compile(r"^\{(urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2})\}Document$")
_CREDITOR_REFERENCE_TYPES = frozenset({"SCOR", "CUR"})
_NOT_PROVIDED = frozenset({"", "NOTPROVIDED"})
# The name a transfer split over several kenmerken without a TxId or EndToEndId keeps
# its parts' link under (bank_import._split_link_ids): ENTRY_LINK{entry reference}.
ENTRY_LINK = "entry:"
_BOOKED = "BOOK"
# ISO 20022 bank transaction codes (Domain/Family/SubFamily) of a debit that gives back a
# transfer we received: "reversal due to payment return" and "... due to payment
# cancellation request" (a recall the payer's bank asked). Some banks say so only here,
# without RtrInf (R12: returned transfers are reversed).
_RETURN_CODES = frozenset({"PMNT/RCDT/RRTN", "PMNT/RCDT/RPCR"})
# Digits in groups separated by one space, dot or no-break space, not glued to letters
# (an IBAN like BE68539007547034 has 14 digits after its letters: not a kenmerk).
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d+(?:[ .\u00a0]\d+)*(?![0-9A-Za-z])")
_GROUP_SEPARATOR = re.compile(r"[ .\u00a0]")
_OUR_LENGTH = 14
_UTF8_BOM = b"\xef\xbb\xbf"


class StatementError(ValueError):
    """Not a CAMT.053 statement that can be read safely; nothing in it is booked."""


class Direction(StrEnum):
    CREDIT = "CRDT"
    DEBIT = "DBIT"


@dataclass(frozen=True, slots=True)
class BankTransaction:
    entry_reference: str
    account_iban: str  # our own account the statement is about
    booking_date: date
    direction: Direction
    amount_cents: int
    currency: str
    reversal: bool = False  # RvslInd: the bank takes back an earlier entry
    return_reason: str = ""  # RtrInf/Rsn: AC04 (account closed), MD06 (refund request), ...
    bank_code: str = ""  # BkTxCd Domn/Fmly/SubFmly, "PMNT/RCDT/ESCT"; "" when not given
    structured_reference: str = ""  # SCOR / CUR creditor reference, as sent
    transfer_ids: tuple[str, ...] = ()  # TxId, EndToEndId: what a return repeats
    # TxDtls/Refs/TxId, "" when not provided: the bank's id of the transfer, the same in
    # every statement that lists it (the EndToEndId is the payer's, who may repeat it).
    transaction_id: str = ""
    # {Stmt/Id}/{NtryRef}[/{n}] when the bank gave the entry no AcctSvcrRef, else "".
    statement_reference: str = ""
    remittance_text: str = field(default="", repr=False)
    counterparty_name: str = field(default="", repr=False)
    counterparty_iban: str = field(default="", repr=False)
    # AddtlTxInf when the Ustrd is the remittance text: read for a kenmerk the Ustrd lacks.
    additional_text: str = field(default="", repr=False)

    @property
    def is_return(self) -> bool:
        """Money that went out because an earlier credit was returned or reversed."""
        return self.direction is Direction.DEBIT and (
            self.reversal or bool(self.return_reason) or self.bank_code in _RETURN_CODES
        )

    @property
    def keyed_by_statement(self) -> bool:
        """No id of the bank's keys it: the same transfer in another statement is not
        recognised as a duplicate (the import reports how many)."""
        return bool(self.statement_reference) and self.entry_reference == self.statement_reference


@dataclass(frozen=True, slots=True)
class BankStatement:
    statement_id: str
    account_iban: str
    transactions: tuple[BankTransaction, ...]
    not_booked: int = 0  # pending or informational entries (Sts other than BOOK): skipped


def parse_statements(data: bytes) -> list[BankStatement]:
    """Every Stmt in a CAMT.053 document; StatementError if it is unsafe or not CAMT.053."""
    root = _safe_root(data)
    match = _DOCUMENT.match(root.tag)
    if not match:
        raise StatementError("not a camt.053.001 Document")
    xml = _Namespaced(match[1])
    statements = [_statement(xml, element) for element in xml.findall(root, "BkToCstmrStmt/Stmt")]
    if not statements:
        raise StatementError("no Stmt in the document")
    return statements


def payment_reference(transaction: BankTransaction) -> str | None:
    """Our 14-digit kenmerk: the structured reference if it is one, else one in the text."""
    structured = _structured_kenmerk(transaction.structured_reference)
    if _is_ours(structured):
        return structured
    found = _text_references(transaction)
    return found[0] if len(found) == 1 else None


def payment_references(transaction: BankTransaction) -> tuple[str, ...]:
    """Every kenmerk of ours the transfer quotes: the structured reference if it is one,
    else those in the text, in the order written (one payer paying several invoices)."""
    structured = _structured_kenmerk(transaction.structured_reference)
    if _is_ours(structured):
        return (structured,)
    return _text_references(transaction)


def _text_references(transaction: BankTransaction) -> tuple[str, ...]:
    """The kenmerken in the remittance text; when it holds none, those in the additional
    information (AddtlTxInf), where some banks put the payer's description while the
    Ustrd holds their own words (R12). Never one of two different ones: several are for
    the payer's designation or a person, wherever they are written."""
    return references_in_text(transaction.remittance_text) or references_in_text(
        transaction.additional_text
    )


def reference_in_text(text: str) -> str | None:
    """The one valid 14-digit kenmerk in free text (spaces or dots between groups allowed).

    Two different valid ones: None, not one of them (``references_in_text`` has them all).
    """
    found = references_in_text(text)
    return found[0] if len(found) == 1 else None


def references_in_text(text: str) -> tuple[str, ...]:
    """The valid 14-digit kenmerken in free text, each once, in the order written. Any run
    of white space (a line break where the bank wrapped the description, two spaces) is
    one space first, so the groups either side of it are still one kenmerk (R12)."""
    runs = _DIGIT_RUN.findall(" ".join(text.split()))
    return tuple(dict.fromkeys(candidate for run in runs for candidate in _candidates(run)))


def _candidates(run: str) -> Iterator[str]:
    """Whole groups of a digit run that join to a valid 14-digit kenmerk; groups are never
    cut, so the tail of a longer number is not mistaken for a kenmerk."""
    groups = _GROUP_SEPARATOR.split(run)
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length >= _OUR_LENGTH:
                candidate = "".join(groups[start : end + 1])
                if _is_ours(candidate):
                    yield candidate
                break


def _structured_kenmerk(text: str) -> str:
    """The structured reference as bare digits; an ISO 11649 creditor reference
    ``RFcc{kenmerk}`` with valid check digits gives the kenmerk it holds."""
    bare = reference.normalise(text)
    if bare[:2].upper() == "RF" and _iso_11649_valid(bare.upper()):
        return bare[4:]
    return bare


def _iso_11649_valid(text: str) -> bool:
    """RF, two check digits, 1-21 letters or digits, ISO 7064 mod 97-10 (ISO 11649)."""
    body = text[4:]
    if not (text[2:4].isdigit() and 1 <= len(body) <= 21 and body.isalnum() and text.isascii()):
        return False
    return int("".join(str(int(c, 36)) for c in body + text[:4])) % 97 == 1


def _is_ours(text: str) -> bool:
    return len(text) == _OUR_LENGTH and reference.is_valid(text)


# --- XML -----------------------------------------------------------------------------------


def _safe_root(data: bytes) -> Element:
    if len(data) > MAX_STATEMENT_BYTES:
        raise StatementError(f"statement larger than {MAX_STATEMENT_BYTES} bytes")
    # A blank line before the declaration (a download or transfer tool's) is not the bank's
    # content, and expat refuses it: dropped, with a UTF-8 byte order mark before it.
    data = data.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")
    try:
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        return root
    except DefusedXmlException as error:
        raise StatementError(
            f"refused: {type(error).__name__} (DTDs and entities are not allowed)"
        ) from None
    except ParseError as error:
        finding = str(error).split(":", 1)[0]  # expat's words, never the document's
        raise StatementError(
            f"not well-formed XML ({error.position[0]}:{error.position[1]}: {finding})"
        ) from None


class _Namespaced:
    """find/findall/text with element paths written without the namespace."""

    def __init__(self, namespace: str) -> None:
        self._prefix = f"{{{namespace}}}"

    def _path(self, path: str) -> str:
        return "/".join(self._prefix + step for step in path.split("/"))

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(self._path(path))

    def findall(self, element: Element, path: str) -> list[Element]:
        return element.findall(self._path(path))

    def text(self, element: Element, *paths: str) -> str:
        """The stripped text of the first path that has some; "" if none has."""
        for path in paths:
            found = element.find(self._path(path))
            if found is not None and found.text and found.text.strip():
                return found.text.strip()
        return ""


def _statement(xml: _Namespaced, stmt: Element) -> BankStatement:
    statement_id = xml.text(stmt, "Id")
    account = xml.text(stmt, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
    if not statement_id:
        raise StatementError("a Stmt without Id")
    transactions: list[BankTransaction] = []
    not_booked = 0
    for number, entry in enumerate(xml.findall(stmt, "Ntry"), start=1):
        if _status(xml, entry) != _BOOKED:
            not_booked += 1
            continue
        transactions.extend(_entry(xml, entry, statement_id, account, number))
    return BankStatement(statement_id, account, tuple(transactions), not_booked)


def _status(xml: _Namespaced, entry: Element) -> str:
    # .02: <Sts>BOOK</Sts>; .08 and later: <Sts><Cd>BOOK</Cd></Sts>
    return xml.text(entry, "Sts/Cd", "Sts")


@dataclass(frozen=True, slots=True)
class _Booking:
    """What an entry says for every transaction in it; a batch's details override some."""

    entry_reference: str
    account_iban: str
    booking_date: date
    direction: Direction
    amount_cents: int
    currency: str
    reversal: bool
    bank_code: str = ""  # the entry's BkTxCd; a transaction's own overrides it
    # {Stmt/Id}/{NtryRef}[/{n}] when the bank gave no AcctSvcrRef: the transfer's own ids
    # key it instead where it has them (``_keyed_by_transfer``).
    statement_reference: str = ""


def _entry(
    xml: _Namespaced, entry: Element, statement_id: str, account: str, number: int
) -> list[BankTransaction]:
    booking = _booking(xml, entry, statement_id, account, number)
    details = xml.findall(entry, "NtryDtls/TxDtls")
    if not details:  # bank costs and the like: the entry's own description is all there is
        return [_transaction(booking, remittance_text=xml.text(entry, "AddtlNtryInf"))]
    if len(details) == 1:
        return [_with_details(xml, entry, details[0], booking)]
    parts = [_batch_part(xml, detail, index, booking) for index, detail in enumerate(details, 1)]
    if any(part is None for part in parts) or not _adds_up(booking, parts):
        # A batch without an amount per transfer cannot be split, and booking all of it on
        # one kenmerk would be a guess; nor can one whose transfers do not add up to what
        # the bank booked (R13: never more than came in): one line for a person, who has
        # the bank's details.
        return [_transaction(booking)]
    return [
        _with_details(xml, entry, d, p)
        for d, p in zip(details, parts, strict=False)
        if p is not None
    ]


def _booking(
    xml: _Namespaced, entry: Element, statement_id: str, account: str, number: int
) -> _Booking:
    bank_reference = xml.text(entry, "AcctSvcrRef")
    entry_reference = bank_reference or _statement_reference(xml, entry, statement_id, number)
    amount, currency = _amount(xml, entry, "Amt", entry_reference)
    return _Booking(
        entry_reference=entry_reference,
        statement_reference="" if bank_reference else entry_reference,
        account_iban=account,
        booking_date=_booking_date(xml, entry, entry_reference),
        direction=_direction(xml.text(entry, "CdtDbtInd"), entry_reference),
        amount_cents=amount,
        currency=currency,
        reversal=xml.text(entry, "RvslInd").lower() in ("true", "1"),
        bank_code=_bank_code(xml, entry),
    )


def _adds_up(booking: _Booking, parts: list[_Booking | None]) -> bool:
    """The batch's transfers, each in its own direction and the entry's currency, make
    exactly the entry's amount (R12: only booked money is booked)."""
    total = 0
    for part in parts:
        if part is None or part.currency != booking.currency:
            return False
        total += part.amount_cents if part.direction is booking.direction else -part.amount_cents
    return total == booking.amount_cents


def _batch_part(
    xml: _Namespaced, detail: Element, index: int, booking: _Booking
) -> _Booking | None:
    """One transfer of a batch entry, with its own reference, amount and direction."""
    own = xml.text(detail, "Refs/AcctSvcrRef")
    reference = own or f"{booking.entry_reference}/{index}"
    amount, currency = _detail_amount(xml, detail, reference)
    if amount is None:
        return None
    direction = _direction(xml.text(detail, "CdtDbtInd") or booking.direction.value, reference)
    return replace(
        booking,
        entry_reference=reference,
        statement_reference=reference if booking.statement_reference and not own else "",
        amount_cents=amount,
        currency=currency,
        direction=direction,
    )


def _with_details(
    xml: _Namespaced, entry: Element, detail: Element, booking: _Booking
) -> BankTransaction:
    party = "Dbtr" if booking.direction is Direction.CREDIT else "Cdtr"
    if booking.statement_reference:
        booking = _keyed_by_transfer(xml, detail, booking)
    booking = replace(booking, bank_code=_bank_code(xml, detail) or booking.bank_code)
    return _transaction(
        booking,
        return_reason=xml.text(detail, "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry"),
        structured_reference=_creditor_reference(xml, detail),
        transfer_ids=_transfer_ids(xml, detail),
        transaction_id=_provided(xml.text(detail, "Refs/TxId")),
        remittance_text=_remittance_text(xml, entry, detail),
        # .02: RltdPties/Dbtr/Nm; .08: RltdPties/Dbtr/Pty/Nm
        counterparty_name=xml.text(detail, f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm"),
        counterparty_iban=xml.text(detail, f"RltdPties/{party}Acct/Id/IBAN"),
        additional_text=_additional_text(xml, detail),
    )


def _keyed_by_transfer(xml: _Namespaced, detail: Element, booking: _Booking) -> _Booking:
    """An entry the bank gave no AcctSvcrRef, keyed by what it keeps in every statement
    that repeats the transfer (R12: a duplicate is the same bank entry, wherever listed)."""
    own = xml.text(detail, "Refs/AcctSvcrRef")
    tx_id = xml.text(detail, "Refs/TxId")
    if own:
        return replace(booking, entry_reference=own)
    if tx_id.upper() not in _NOT_PROVIDED:
        # A return repeats the TxId of its credit, a partial one maybe twice: the direction,
        # day and amount tell them apart, and are the same in every statement listing it.
        day, cents = booking.booking_date.isoformat(), booking.amount_cents
        key = f"tx/{tx_id}/{booking.direction.value}/{day}/{cents}"
        return replace(booking, entry_reference=key)
    return booking


def _transaction(booking: _Booking, **details: Any) -> BankTransaction:
    return BankTransaction(
        entry_reference=booking.entry_reference,
        account_iban=booking.account_iban,
        booking_date=booking.booking_date,
        direction=booking.direction,
        amount_cents=booking.amount_cents,
        currency=booking.currency,
        reversal=booking.reversal,
        bank_code=booking.bank_code,
        statement_reference=booking.statement_reference,
        **details,
    )


def _statement_reference(xml: _Namespaced, entry: Element, statement_id: str, number: int) -> str:
    within_statement = xml.text(entry, "NtryRef")
    if within_statement:
        return f"{statement_id}/{within_statement}"
    raise StatementError(
        f"entry {number} of statement {statement_id} has no AcctSvcrRef or NtryRef"
    )


def _booking_date(xml: _Namespaced, entry: Element, where: str) -> date:
    text = xml.text(entry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
    try:
        if "T" not in text:
            return date.fromisoformat(text[:10])
        # A moment counts on its Dutch day (legal-nl.md §2): 23:30Z on the 14th is the
        # 15th in Amsterdam. A moment without an offset is the bank's, Dutch, time.
        moment = datetime.fromisoformat(text)
        return amsterdam_day(moment) if moment.tzinfo else moment.date()
    except ValueError:
        raise StatementError(f"entry {where}: no booking date") from None


def _bank_code(xml: _Namespaced, element: Element) -> str:
    """The element's ISO bank transaction code as "Domain/Family/SubFamily"; "" without."""
    parts = (
        xml.text(element, "BkTxCd/Domn/Cd"),
        xml.text(element, "BkTxCd/Domn/Fmly/Cd"),
        xml.text(element, "BkTxCd/Domn/Fmly/SubFmlyCd"),
    )
    return "/".join(part.upper() for part in parts) if all(parts) else ""


def _direction(text: str, where: str) -> Direction:
    try:
        return Direction(text)
    except ValueError:
        raise StatementError(f"entry {where}: CdtDbtInd {text!r}") from None


def _amount(xml: _Namespaced, element: Element, path: str, where: str) -> tuple[int, str]:
    found = xml.find(element, path)
    if found is None or not (found.text or "").strip():
        raise StatementError(f"entry {where}: no amount")
    return _cents(found.text or "", where), found.get("Ccy", "")


def _detail_amount(xml: _Namespaced, detail: Element, where: str) -> tuple[int | None, str]:
    # .08 puts the amount on TxDtls itself; .02 only in AmtDtls.
    for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
        if xml.find(detail, path) is not None:
            return _amount(xml, detail, path, where)
    return None, ""


def _cents(text: str, where: str) -> int:
    try:
        cents = Decimal(text.strip()) * 100
    except InvalidOperation:
        raise StatementError(f"entry {where}: amount {text!r}") from None
    if not cents.is_finite() or cents != cents.to_integral_value() or cents < 0:
        raise StatementError(f"entry {where}: amount {text!r} is not whole cents")
    if cents == 0:  # the direction is CdtDbtInd's, so nothing moved: no payment to book
        raise StatementError(f"entry {where}: amount {text!r} moves no money")
    return int(cents)


def _creditor_reference(xml: _Namespaced, detail: Element) -> str:
    for info in xml.findall(detail, "RmtInf/Strd/CdtrRefInf"):
        kinds = {
            xml.text(info, "Tp/CdOrPrtry/Cd"),
            xml.text(info, "Tp/CdOrPrtry/Prtry"),
            xml.text(info, "Tp/Issr"),
        }
        if kinds & _CREDITOR_REFERENCE_TYPES:
            return xml.text(info, "Ref")
    return ""


def _provided(text: str) -> str:
    """A transfer id as given, "" when not provided. One spelled as the name a split
    transfer without ids keeps its parts under (``ENTRY_LINK``, the EndToEndId is the
    payer's to choose) is read as none: it would find that transfer's parts, and its
    return would undo them (R12)."""
    return "" if text.upper() in _NOT_PROVIDED or text.startswith(ENTRY_LINK) else text


def _transfer_ids(xml: _Namespaced, detail: Element) -> tuple[str, ...]:
    ids = (xml.text(detail, "Refs/TxId"), xml.text(detail, "Refs/EndToEndId"))
    return tuple(dict.fromkeys(filter(None, map(_provided, ids))))


def _additional_text(xml: _Namespaced, detail: Element) -> str:
    """AddtlTxInf, when the Ustrd is there and so is the remittance text (else the
    remittance text is this already)."""
    if not any((u.text or "").strip() for u in xml.findall(detail, "RmtInf/Ustrd")):
        return ""
    return xml.text(detail, "AddtlTxInf")


def _remittance_text(xml: _Namespaced, entry: Element, detail: Element) -> str:
    lines = [(u.text or "").strip() for u in xml.findall(detail, "RmtInf/Ustrd")]
    text = " ".join(line for line in lines if line)
    # Some banks put the payer's description only in the additional information.
    return text or xml.text(detail, "AddtlTxInf") or xml.text(entry, "AddtlNtryInf")
