"""Small CAMT.053 documents around the case a test is about (R12).

    statement(credit(2350, scor="32155743889456"))
    statement(credit(4113, ustrd="Nota 4294 8452 2234 64"), debit(1250), version="08")

Realistic enough for the parser (namespaces, element order of camt.053.001.02 and .08);
the sample files in events/bank/ are the full-size examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

ACCOUNT = "NL20INGB0001234567"


@dataclass
class Entry:
    amount_cents: int
    direction: str = "CRDT"
    reference: str | None = None  # AcctSvcrRef; None leaves it out
    ntry_ref: str | None = None
    booking_date: str = "2026-11-24"
    status: str = "BOOK"
    reversal: bool = False
    scor: str | None = None  # structured creditor reference
    reference_type: str = "SCOR"  # "SCOR" (Cd), "CUR-Prtry", "CUR-Issr", "RF-other"
    ustrd: tuple[str, ...] = ()
    addtl_ntry_inf: str | None = None
    return_reason: str | None = None
    tx_id: str | None = None
    end_to_end_id: str = "NOTPROVIDED"
    payer: str = "A. Visser"
    payer_iban: str = "NL91ABNA0417164300"
    currency: str = "EUR"
    details: bool = True  # False: an entry without NtryDtls (bank costs)
    amount_in_details: bool = True  # False: a TxDtls without its own amount
    batch: list[Entry] = field(default_factory=list)  # several TxDtls in one entry
    bank_code: str = "PMNT/RCDT/ESCT"  # the entry's BkTxCd: Domain/Family/SubFamily
    tx_bank_code: str | None = None  # the TxDtls' own BkTxCd; None leaves it out


_counter = iter(range(1, 10**6))


def credit(amount_cents: int, **fields: object) -> Entry:
    fields.setdefault("reference", f"ING2026112400{next(_counter):04d}")
    return Entry(amount_cents, "CRDT", **fields)  # type: ignore[arg-type]


def debit(amount_cents: int, **fields: object) -> Entry:
    fields.setdefault("reference", f"ING2026112400{next(_counter):04d}")
    return Entry(amount_cents, "DBIT", **fields)  # type: ignore[arg-type]


def statement(*entries: Entry, version: str = "02", statement_id: str = "STMT-2026-11-24") -> bytes:
    body = "".join(_entry(e, version) for e in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        "<BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-25T05:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>2026-11-25T05:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{body}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def _amount(cents: int, currency: str) -> str:
    return f'<Amt Ccy="{currency}">{cents // 100}.{cents % 100:02d}</Amt>'


def _entry(e: Entry, version: str) -> str:
    status = f"<Sts><Cd>{e.status}</Cd></Sts>" if version >= "08" else f"<Sts>{e.status}</Sts>"
    parts = [
        f"<NtryRef>{e.ntry_ref}</NtryRef>" if e.ntry_ref else "",
        _amount(e.amount_cents, e.currency),
        f"<CdtDbtInd>{e.direction}</CdtDbtInd>",
        "<RvslInd>true</RvslInd>" if e.reversal else "",
        status,
        _booking(e.booking_date),
        f"<AcctSvcrRef>{e.reference}</AcctSvcrRef>" if e.reference else "",
        _bank_code(e.bank_code),
    ]
    transactions = e.batch or ([e] if e.details else [])
    if transactions:
        parts.append(
            "<NtryDtls>"
            + "".join(_details(t, version, e.batch != []) for t in transactions)
            + "</NtryDtls>"
        )
    if e.addtl_ntry_inf:
        parts.append(f"<AddtlNtryInf>{escape(e.addtl_ntry_inf)}</AddtlNtryInf>")
    return "<Ntry>" + "".join(parts) + "</Ntry>"


def _bank_code(code: str) -> str:
    domain, family, sub_family = code.split("/")
    return (
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd>"
        f"<SubFmlyCd>{sub_family}</SubFmlyCd></Fmly></Domn></BkTxCd>"
    )


def _booking(when: str) -> str:
    """A date, or a moment (``DtTm``) when it has a time, as some banks write it."""
    if not when:
        return ""
    element = "DtTm" if "T" in when else "Dt"
    return f"<BookgDt><{element}>{when}</{element}></BookgDt>"


def _details(t: Entry, version: str, in_batch: bool) -> str:
    refs = "<Refs>"
    if in_batch and t.reference:
        refs += f"<AcctSvcrRef>{t.reference}</AcctSvcrRef>"
    refs += f"<EndToEndId>{t.end_to_end_id}</EndToEndId>"
    if t.tx_id:
        refs += f"<TxId>{t.tx_id}</TxId>"
    refs += "</Refs>"
    amount = _amount(t.amount_cents, t.currency)
    amounts = amount if version >= "08" else f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>"
    if not t.amount_in_details:
        amounts = ""
    if in_batch and t.direction != "CRDT":  # a batch's part in the other direction says so
        amounts += f"<CdtDbtInd>{t.direction}</CdtDbtInd>"
    if t.tx_bank_code:
        amounts += _bank_code(t.tx_bank_code)
    party, account = ("Dbtr", "DbtrAcct") if t.direction == "CRDT" else ("Cdtr", "CdtrAcct")
    name = f"<Pty><Nm>{t.payer}</Nm></Pty>" if version >= "08" else f"<Nm>{t.payer}</Nm>"
    parties = (
        f"<RltdPties><{party}>{name}</{party}>"
        f"<{account}><Id><IBAN>{t.payer_iban}</IBAN></Id></{account}></RltdPties>"
    )
    remittance = ""
    if t.ustrd or t.scor is not None:
        remittance = "<RmtInf>" + "".join(f"<Ustrd>{escape(u)}</Ustrd>" for u in t.ustrd)
        if t.scor is not None:
            remittance += f"<Strd><CdtrRefInf>{_reference_type(t.reference_type)}<Ref>{t.scor}</Ref></CdtrRefInf></Strd>"
        remittance += "</RmtInf>"
    returned = f"<RtrInf><Rsn><Cd>{t.return_reason}</Cd></Rsn></RtrInf>" if t.return_reason else ""
    return f"<TxDtls>{refs}{amounts}{parties}{remittance}{returned}</TxDtls>"


def _reference_type(kind: str) -> str:
    return {
        "SCOR": "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp>",
        "SCOR-only": "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>",
        "CUR-Prtry": "<Tp><CdOrPrtry><Prtry>CUR</Prtry></CdOrPrtry></Tp>",
        "CUR-Issr": "<Tp><CdOrPrtry><Cd>RADM</Cd></CdOrPrtry><Issr>CUR</Issr></Tp>",
        "RADM": "<Tp><CdOrPrtry><Cd>RADM</Cd></CdOrPrtry></Tp>",
    }[kind]
