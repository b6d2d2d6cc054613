"""A Polish patient's letters on embedded AWS (issue 17 item 7, R9): the invoice e-mail
and the dunning run's reminder arrive in Polish through SES, with a Polish PDF named in
Polish that prints the name's ł, ś and ż (legal-nl.md §2 for what the reminder states)."""

from __future__ import annotations

import csv
import io
from datetime import date

from pypdf import PdfReader

from billing_core.legal import TERM_PHRASE
from local.generate import declaration_csv
from local.seed import DENTAL

PROVIDER = DENTAL.provider_id
REMINDER_DAY = date(2026, 12, 31)  # final payment date 23 December, reminder a week later
SURNAME = "Ślężak-Michałowska"  # Ś, ę, ż and ł: none of them in the old core fonts


def polish_week(lines: int) -> bytes:
    """The sandbox's declaration, every patient Polish-speaking with a Polish name."""
    rows = list(csv.DictReader(io.StringIO(declaration_csv(lines).decode()), delimiter=";"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row | {"language": "pl", "name_prefix": "", "last_name": SURNAME})
    return out.getvalue().encode()


def pdf_text(attachment: dict) -> str:
    pages = PdfReader(io.BytesIO(attachment["content"])).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_a_polish_patient_gets_the_invoice_and_the_reminder_in_polish(sandbox):
    # Given a week of invoices for Polish-speaking patients, e-mailed
    sandbox.upload_declaration(PROVIDER, "week-47.csv", polish_week(6))
    sandbox.drain_deliveries()
    invoices = sandbox.outbox()
    assert invoices

    # Then each invoice e-mail is Polish, with faktura-<kenmerk>.pdf in Polish attached
    first = invoices[0]
    assert first["subject"].startswith(f"Faktura od {DENTAL.name} - numer referencyjny")
    assert "Dzień dobry," in first["text"] and "Z poważaniem," in first["text"]
    [invoice_pdf] = first["attachments"]
    assert invoice_pdf["filename"] == f"faktura-{first['kenmerk']}.pdf"
    assert SURNAME in pdf_text(invoice_pdf) and "Termin płatności" in pdf_text(invoice_pdf)

    # When the dunning run reaches the reminder day unpaid
    sandbox.clock.set(REMINDER_DAY)
    sandbox.run_dunning()
    reminders = [m for m in sandbox.outbox() if m["subject"].startswith("Upomnienie")]

    # Then the reminder states amount, the 14-day term and the costs, in Polish, and its
    # letter is attached as upomnienie-<kenmerk>.pdf
    assert reminders
    reminder = reminders[0]
    text = " ".join(reminder["text"].split())
    assert "Prosimy o zapłatę" in text and TERM_PHRASE["pl"] in text
    assert "pozasądowe koszty windykacji w wysokości" in text and "odsetki ustawowe" in text
    assert "Geachte" not in text
    [letter] = reminder["attachments"]
    assert letter["filename"] == f"upomnienie-{reminder['kenmerk']}.pdf"
    printed = pdf_text(letter)
    assert "Upomnienie" in printed and SURNAME in printed
    assert TERM_PHRASE["pl"] in printed
