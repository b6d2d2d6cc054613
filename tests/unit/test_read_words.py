"""The access log's words for a read (texts/reads.py; R32, R35, R9, audit4): what the
practice's admin reads for each subject the services write, in English as in Dutch, never
a record's ids or headings."""

from __future__ import annotations

from billing_core.texts.portal import portal_texts
from billing_core.texts.reads import read_words

EN = portal_texts("en")


def test_every_subject_shape_is_said_in_the_pages_english(subtests):
    """R32, R35. Given the subjects the services write of each kind (audit4's script), When
    the English page says them, Then each is words and the patient numbers it named (the one
    asked for, P5, first; three at most and how many more), never an id or a heading."""
    said = {
        ("invoice", "0f1e-uuid"): ("One invoice", "Invoice"),
        ("invoice_list", "held_credits invoice:a invoice:b"): (
            "Invoices with a credit held (2)",
            "List of invoices",
        ),
        ("invoice_list", "by_name invoice:a"): (
            "Invoices (1), searched by name",
            "List of invoices",
        ),
        ("invoice_list", ""): ("Invoices (0)", "List of invoices"),
        ("patient_list", "blocked patient:P1 patient:P2 patient:P3 patient:P5 patient:P6"): (
            "List of blocked patients: patients P5, P1, P2 and 2 more",
            "List of patients",
        ),
        ("patient_list", "block_changes"): ("Changes to the blocked patients", "List of patients"),
        ("patient_list", "actions action:x invoice:a action:y"): ("Actions (2)", "List of actions"),
        ("action", "objection-2026-11-23-ea91"): ("One action", "Action"),
        ("export", "retrocession:2026-W47.csv"): (
            "Retrocession statement Week 47 (16-22 Nov 2026), CSV",
            "File",
        ),
        ("export", "insurer-claims:* declaration:d1"): ("Claim files for the insurers (1)", "File"),
        ("export", "declaration:d1"): ("Processing report of a declaration file", "File"),
        ("audit", "2026-11-01..2026-11-23"): (
            "Access log from 1 Nov 2026 to 23 Nov 2026 inclusive",
            "Access log",
        ),
        ("bank_credits", "credit:c1 invoice:a"): (
            "A bank credit and the invoices it was booked to (1)",
            "Bank credits",
        ),
        ("refund_batch", "batch-1 kenmerk:12234534622567 kenmerk:12234534622568"): (
            "Refunds to patients, payment references 1223 4534 6225 67, 1223 4534 6225 68",
            "Refunds",
        ),
        ("migration", "invoice_v5"): ("Data migration by zorgnota", "Data migration"),
    }
    for (kind, subject), words in said.items():
        with subtests.test(kind=kind, subject=subject[:20]):
            assert read_words(kind, subject, EN, patient="P5") == words


def test_a_statement_s_week_is_said_as_the_payouts_page_says_it(subtests):
    """R32, R35, R24 (audit access52: the access log said "week 2026-W47" where the
    payouts page says "Week 47 (16-22 nov 2026)" since portal51b). Given reads of a week's
    statement, one of a week across two months, When the access log says them in Dutch
    and in English, Then each names the week's number and days as the payouts page does,
    never its label."""
    said = {
        ("nl", "retrocession:2026-W47.pdf"): "Retrocessie-overzicht Week 47 (16-22 nov 2026), PDF",
        ("en", "retrocession:2026-W47.pdf"): "Retrocession statement Week 47 (16-22 Nov 2026), PDF",
        ("nl", "retrocession:2026-W49.csv"): (
            "Retrocessie-overzicht Week 49 (30 nov - 6 dec 2026), CSV"
        ),
        ("en", "retrocession:2026-W49.csv"): (
            "Retrocession statement Week 49 (30 Nov - 6 Dec 2026), CSV"
        ),
    }
    for (language, subject), words in said.items():
        with subtests.test(language=language, subject=subject):
            what, _ = read_words("export", subject, portal_texts(language))
            assert what == words and "-W4" not in what


def test_a_single_read_names_its_patient_also_once_its_invoice_is_gone():
    """R32, R35, legal-nl.md §8 (audit access52b: a read of one invoice, letter or action
    named its id only, so once the invoice was deleted the log could not say whose it
    was). Given reads of one invoice, one of its letters and one action, each naming its
    patient (``shared/audit.naming_patient``)
    When the page says them with the invoice still known, and once it is deleted
    Then a known invoice is said by its kenmerk and patient as before, a deleted one's
    read and the action's say the patient's number, never an id."""
    known = {"inv-1": ("12234534622567", "P5")}
    invoice, letter = "inv-1 patient:P5", "inv-1:0:invoice patient:P5"
    assert read_words("invoice", invoice, EN, invoices=known)[0] == (
        "Invoice 1223 4534 6225 67: patient P5"
    )
    assert read_words("invoice", invoice, EN, invoices={}) == ("One invoice: patient P5", "Invoice")
    assert read_words("letter", letter, EN, invoices={})[0] == (
        "A letter (PDF) of an invoice: patient P5"
    )
    assert read_words("action", "objection-1 patient:P5", EN) == (
        "One action: patient P5",
        "Action",
    )
