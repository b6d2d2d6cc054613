"""The pain.001.001.09 writer (R34, issue 19, issue 14 item 5): every file it writes is valid
against the official XSD, pays exactly the cents asked, to the account asked, and speaks
only the SEPA character set."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from defusedxml import ElementTree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing_core.payments.sepa_transfers import (
    DebtorAccount,
    Transfer,
    TransferFileError,
    credit_transfer_file,
    sepa_text,
)
from billing_core.shared.clock import AMSTERDAM

XSD = xmlschema.XMLSchema(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SEPA_SET = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]*$")
COLLECTION_ACCOUNT = DebtorAccount("Zorgnota B.V. derdengelden", "NL91ABNA0417164300", "ABNANL2A")
CREATED = datetime(2026, 11, 30, 9, 15, tzinfo=AMSTERDAM)
MONDAY = date(2026, 11, 30)
IBANS = ["NL91ABNA0417164300", "NL02RABO0123456789", "DE89370400440532013000", "BE68539007547034"]


def write(*transfers: Transfer, message_id: str = "PO-2026-W48") -> bytes:
    return credit_transfer_file(
        message_id, COLLECTION_ACCOUNT, transfers, execution_date=MONDAY, created_at=CREATED
    )


def paid(document: bytes) -> list[tuple[str, str, str, int, str]]:
    """(end-to-end id, IBAN, name, cents, remittance) per transfer, as the bank reads them."""
    root = ElementTree.fromstring(document)
    return [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or "",
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) or "",
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS) or "",
            int(Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "") * 100),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) or "",
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
    ]


def test_a_payout_file_validates_and_pays_the_practice_its_cents():
    # Given a payout of EUR 1234.05 to a practice with a diacritic in its name
    transfer = Transfer(
        "PO-2026-W48.1",
        "NL02RABO0123456789",
        "Fysiotherapie Coöperatie Zoë",
        123405,
        "Retrocessie 2026-W48 PO-2026-W48.1",
    )
    # When the file is written
    document = write(transfer)
    # Then the XSD accepts it and the bank reads the practice's account, name and amount
    XSD.validate(document)
    assert paid(document) == [
        (
            "PO-2026-W48.1",
            "NL02RABO0123456789",
            "Fysiotherapie Cooperatie Zoe",
            123405,
            "Retrocessie 2026-W48 PO-2026-W48.1",
        )
    ]
    header = ElementTree.fromstring(document).find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    assert header.findtext("p:MsgId", namespaces=NS) == "PO-2026-W48"
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-11-30T09:15:00"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "1234.05"


@pytest.mark.parametrize(
    "transfer",
    [
        Transfer("PO-1.1", "NL02RABO0123456789", "Praktijk", 0, "nul"),
        Transfer("PO-1.1", "NL02RABO0123456789", "Praktijk", -500, "negatief"),
        Transfer("PO-1.1", "NL02RABO0123456789", "&&& ***", 500, "geen naam"),
        Transfer("PO 1 1", "NL02RABO0123456789", "Praktijk", 500, "spatie in id"),
        Transfer("P" * 36, "NL02RABO0123456789", "Praktijk", 500, "id te lang"),
    ],
    ids=["zero", "negative", "no-sepa-name", "space-in-id", "id-too-long"],
)
def test_a_transfer_the_bank_would_refuse_is_never_written(transfer):
    with pytest.raises(TransferFileError):
        write(transfer)


def test_a_file_without_transfers_is_not_written():
    with pytest.raises(TransferFileError):
        write()


names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCZéëèïöüçñÉÖ& -'.,/@€ĳ()+?:"),
    min_size=1,
    max_size=90,
).filter(lambda name: bool(sepa_text(name, 70)))
transfers = st.builds(
    Transfer,
    end_to_end_id=st.just(""),
    iban=st.sampled_from(IBANS),
    name=names,
    amount_cents=st.integers(min_value=1, max_value=99_999_999_999),
    remittance=st.text(max_size=200),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(transfers, min_size=1, max_size=6))
def test_every_file_validates_and_pays_every_cent_in_the_sepa_set(batch):
    # Given transfers with any names, remittances and amounts up to a billion euros
    numbered = [
        Transfer(f"PO-X.{n}", t.iban, t.name, t.amount_cents, t.remittance)
        for n, t in enumerate(batch, 1)
    ]
    # When they are written
    document = write(*numbered)
    # Then the XSD accepts the file, each transfer pays exactly its cents to its IBAN,
    # the control sum is the total, and every text is in the SEPA character set
    XSD.validate(document)
    read = paid(document)
    assert [(e2e, iban, cents) for e2e, iban, _, cents, _ in read] == [
        (t.end_to_end_id, t.iban, t.amount_cents) for t in numbered
    ]
    assert all(SEPA_SET.match(name) and 0 < len(name) <= 70 for _, _, name, _, _ in read)
    assert all(SEPA_SET.match(text) and 0 < len(text) <= 140 for *_, text in read)
    control_sum = ElementTree.fromstring(document).findtext(
        "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS
    )
    assert int(Decimal(control_sum or "") * 100) == sum(t.amount_cents for t in numbered)
