"""SEPA credit transfers out of the collection account: the one pain.001.001.09 writer
(R34, issue 19 and issue 14 item 5). Payouts to practices and refunds to patients both
leave through it; the operator hands the file to the bank.

Built with ``sepaxml`` (the maintained library) and checked against the official XSD it
ships before any byte is returned: a file the bank would refuse is never written.

Texts go to the bank in the SEPA character set (EPC: Latin letters, digits and
``/ - ? : ( ) . , ' +`` and space): Dutch diacritics become their plain letters
(Coöperatie -> Cooperatie), anything else a space; a name without one usable character
is refused. Amounts are whole cents, written as euros with two decimals.

What the scheme reaches and when it executes are data here too, so a proposal is refused
before anything is booked: ``in_sepa_scheme`` (the EPC's list of SEPA countries) and
``execution_day`` (the TARGET2 calendar).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sepaxml import SepaTransfer
from text_unidecode import unidecode

SCHEMA = "pain.001.001.09"
CURRENCY = "EUR"
NAME_LENGTH = 70
REMITTANCE_LENGTH = 140
ID_LENGTH = 35
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]+")
_SPACES = re.compile(r" {2,}")
_ID = re.compile(r"^[A-Za-z0-9/\-?:().,'+]{1,35}$")

# The countries a SEPA credit transfer reaches, by the IBAN's first two letters (R34): the
# EPC's "EPC List of SEPA Scheme Countries" (EPC409-09) as of the admission of Serbia by
# the EPC Board on 22 May 2025, 41 countries: the 27 EU states, the EEA's Iceland,
# Liechtenstein and Norway, Switzerland, the United Kingdom, Monaco, San Marino, Vatican
# City, Andorra, Albania, Moldova, Montenegro, North Macedonia and Serbia. Their territories
# in the schemes bank with their state's IBAN (FR: the overseas departments, Saint-Pierre-
# et-Miquelon, Saint-Barthelemy, Saint-Martin; PT: the Azores and Madeira; ES: the Canary
# Islands, Ceuta and Melilla; FI: Aland; GB: Guernsey, Jersey, the Isle of Man), except
# Gibraltar (GI). Outside: the Faroe Islands (FO) and Greenland (GL), which have IBANs of
# their own. Not told apart: the FR-format IBANs of the CFP franc territories (New
# Caledonia, French Polynesia, Wallis and Futuna), which are outside. A country the EPC
# admits later is added here with the date of its admission.
SEPA_COUNTRIES_AS_OF = date(2025, 5, 22)
SEPA_COUNTRIES = frozenset(
    {
        # EU
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR"),
        *("HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        # EEA, Switzerland, the United Kingdom (and Gibraltar)
        *("IS", "LI", "NO", "CH", "GB", "GI"),
        # by agreement: Monaco, San Marino, Vatican City, Andorra (2019)
        *("MC", "SM", "VA", "AD"),
        # admitted from November 2024 on: Albania, Montenegro, North Macedonia, Moldova; Serbia
        *("ME", "AL", "MK", "MD", "RS"),
    }
)


class TransferFileError(ValueError):
    """A transfer that cannot go to the bank as given (no name, no amount, a bad id)."""


@dataclass(frozen=True, slots=True)
class DebtorAccount:
    """Zorgnota's collection account, which pays; ``bic`` may be empty (IBAN-only)."""

    name: str
    iban: str
    bic: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """One credit transfer. ``end_to_end_id`` comes back on the bank statement's debit
    entry (and on a return), so it is how the bank's side is matched to ours."""

    end_to_end_id: str
    iban: str
    name: str
    amount_cents: int
    remittance: str


def in_sepa_scheme(iban: str) -> bool:
    """Whether a SEPA credit transfer reaches the country of ``iban`` (a valid IBAN): a
    bank refuses a transfer to any other one, or the whole file (R34)."""
    return iban[:2].upper() in SEPA_COUNTRIES


def execution_day(day: date) -> date:
    """The first TARGET2 business day on or after ``day``: the requested execution date of
    a file made on ``day``. The EPC's SCT rulebook executes on TARGET2 days only: no
    Saturday, no Sunday, and not on the ECB's closing days (1 January, Good Friday, Easter
    Monday, 1 May, 25 and 26 December)."""
    while day.weekday() >= 5 or day in _target2_closing_days():
        day += timedelta(days=1)
    return day


@cache
def _target2_closing_days() -> Any:
    """The ECB's TARGET2 holidays (``holidays`` financial calendar "ECB"; it adds years as
    they are asked for). Loaded on first use: only sending a batch needs it, and the Monday
    run imports this module without sending one."""
    import holidays

    return holidays.financial_holidays("ECB")


def usable_name(name: str) -> bool:
    """Whether a transfer to ``name`` can be written: it has a character the bank accepts."""
    return bool(sepa_text(name, NAME_LENGTH))


def sepa_text(text: str, length: int) -> str:
    """``text`` in the SEPA character set, at most ``length`` characters."""
    plain = _SPACES.sub(" ", _NOT_SEPA.sub(" ", unidecode(text))).strip()
    return plain[:length].rstrip()


def credit_transfer_file(
    message_id: str,
    debtor: DebtorAccount,
    transfers: Sequence[Transfer],
    *,
    execution_date: date,
    created_at: datetime,
) -> bytes:
    """The pain.001.001.09 document for ``transfers``, validated against the XSD.

    ``message_id`` is the file's MsgId: the bank refuses a second file with the same one,
    so the same batch handed in twice is not paid twice.
    """
    if not transfers:
        raise TransferFileError("a transfer file without transfers")
    _check_id(message_id)
    account = {"name": _name(debtor.name), "IBAN": debtor.iban, "currency": CURRENCY}
    if debtor.bic:  # optional in SEPA since 2016
        account["BIC"] = debtor.bic
    file = SepaTransfer(
        # One payment block per transfer (BtchBookg false): the bank statement then shows
        # one debit entry per transfer, carrying its end-to-end id, not one batch total.
        {**account, "batch": False},
        schema=SCHEMA,
        clean=False,  # cleaned here, to the SEPA set and not only to ASCII
    )
    _set_header(file, message_id, created_at)
    for transfer in transfers:
        file.add_payment(_payment(transfer, execution_date))
    _set_payment_ids(file, transfers)
    document: bytes = file.export(validate=False)
    _check_against_the_xsd(document)
    return document


def _check_against_the_xsd(document: bytes) -> None:
    """sepaxml's own check (``export(validate=True)``), with the schema read once per
    process: sepaxml compiles the XSD again for every file (~0.12 s of CPU each)."""
    import xmlschema  # here: the handlers import this module at start (import-time guard)
    from sepaxml.validation import ValidationError

    try:
        _schema().validate(document.decode())
    except xmlschema.XMLSchemaValidationError as invalid:
        raise ValidationError(
            "The output SEPA file contains validation errors. This is likely due to an"
            " illegal value in one of your input fields."
        ) from invalid


@cache
def _schema() -> Any:
    from pathlib import Path

    import sepaxml
    import xmlschema

    return xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas" / f"{SCHEMA}.xsd"))


def _payment(transfer: Transfer, execution_date: date) -> dict[str, object]:
    if transfer.amount_cents <= 0:
        raise TransferFileError(f"transfer {transfer.end_to_end_id}: not a positive amount")
    _check_id(transfer.end_to_end_id)
    return {
        "name": _name(transfer.name),
        "IBAN": transfer.iban,
        "amount": transfer.amount_cents,
        "execution_date": execution_date,
        "description": sepa_text(transfer.remittance, REMITTANCE_LENGTH) or "zorgnota",
        "endtoend_id": transfer.end_to_end_id,
    }


def _name(name: str) -> str:
    cleaned = sepa_text(name, NAME_LENGTH)
    if not cleaned:
        raise TransferFileError("a name without any character the bank accepts")
    return cleaned


def _check_id(identifier: str) -> None:
    if not _ID.match(identifier):
        raise TransferFileError(f"{identifier!r} is not a SEPA id (1-35 SEPA characters)")


def _set_header(file: SepaTransfer, message_id: str, created_at: datetime) -> None:
    # sepaxml draws a random MsgId and reads the wall clock; ours are the batch id (the
    # bank's duplicate check) and the settable clock.
    header = file._xml.find("CstmrCdtTrfInitn/GrpHdr")
    header.find("MsgId").text = message_id
    header.find("CreDtTm").text = created_at.replace(microsecond=0, tzinfo=None).isoformat()


def _set_payment_ids(file: SepaTransfer, transfers: Sequence[Transfer]) -> None:
    # sepaxml draws a random PmtInfId for each payment block (one per transfer here); the
    # transfer's end-to-end id, unique in the file, makes a batch written again after a
    # crash the same bytes.
    blocks = file._xml.findall("CstmrCdtTrfInitn/PmtInf")
    for block, transfer in zip(blocks, transfers, strict=True):
        block.find("PmtInfId").text = transfer.end_to_end_id
