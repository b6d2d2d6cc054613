"""`make demo`: the life of a few invoices on embedded AWS, told as it happens.

Writes what patients and the print shop would receive to out/ (e-mails as .eml, .html
and .txt, invoice PDFs, the print batch, the processing reports).
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from billing_core.collection.handover import handover_key
from billing_core.declarations.retour import retour_report_key
from billing_core.declarations.vektis.layouts import MZ302_V13
from billing_core.declarations.vektis.writer import Granted, InsurerAnswer, write_retour
from billing_core.dunning.interest import first_day_of_default, interest_statement
from billing_core.invoices.invoice import Channel, Invoice
from billing_core.invoices.ledger import Component, EntryKind, balance, total_of
from billing_core.legal import ATW_DAYS
from billing_core.providers.provider import Provider
from billing_core.shared import reference
from billing_core.shared.clock import AMSTERDAM
from billing_core.shared.money import format_euros
from local.demo_payouts import pay_the_practices
from local.demo_portal import visit_the_portal
from local.generate import declaration_csv
from local.sandbox import EVENTS, Caller, Sandbox
from local.seed import DENTAL, PHYSIO, SANDBOX_TODAY
from local.vektis_samples import DENTAL_HEADER, WEST_FILE, dental_claims, west_settings

# DEMO_OUT: elsewhere than the checkout's out/ (the test that runs the whole demo).
OUT = Path(os.environ.get("DEMO_OUT") or Path(__file__).resolve().parent.parent / "out")
# The reminders of 31 December have their term to 14 January: a transfer of that day is
# read after the run of the 15th (issue 12: the payment date decides).
LATE_STATEMENT_DAY = date(2027, 1, 15)
# Invoices of 2 February 2027 are due 4 March: reminded Friday 12 March (Easter: 28 March).
EASTER_UPLOAD_DAY = date(2027, 2, 2)
ATW_NAMES = {atw_day.day: atw_day.name for atw_day in ATW_DAYS}
JSON = {"Content-Type": "application/json"}
# A statement's entry kinds as the demo names them: the arrangement's fee (R15) is not the
# service fee the statement settles next to it (R24).
KIND_LABELS = {"fee": "arrangement fee"}
SAMPLES = EVENTS / "declarations"


class Demo:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.stopped: Invoice | None = None  # step 10's invoice, which the retour changes
        self.portal_pages: dict[str, str | bytes] = {}  # out/portal/, step 12d

    def run(self) -> None:
        self.title(
            f"zorgnota demo — today is {SANDBOX_TODAY:%A %d %B %Y} (embedded AWS, no account)"
        )
        self.onboarding()
        self.show_providers()
        self.upload(
            DENTAL,
            "tandarts-de-vries-2026-11.csv",
            "1. The dental practice uploads its November declaration",
        )
        self.upload(
            PHYSIO,
            "fysio-centrum-oost-2026-11.csv",
            "2. The non-contracted physiotherapy practice uploads its declaration",
        )
        self.upload_again()
        self.upload(
            DENTAL,
            "bad/mixed-errors.csv",
            "4. A file with mistakes: only the wrong lines are refused (R2)",
        )
        self.upload(
            DENTAL,
            "bad/comma-delimited.csv",
            "5. A file with the wrong delimiter: the whole file is refused (R2)",
        )
        self.patients_act()
        self.provider_stops()
        self.dunning()
        self.provider_view()
        self.pay_the_practices()
        self.agency_reports_back()
        self.in_the_portal()
        self.write_outputs()

    # --- the story ---------------------------------------------------------------------

    def show_providers(self) -> None:
        self.title("Providers")
        for provider in (DENTAL, PHYSIO):
            contracts = sum(c.covers(c.uzovi, SANDBOX_TODAY) for c in provider.contracts)
            deal = f"contracted with {contracts} insurers" if contracts else "no insurer contracts"
            print(f"  {provider.provider_id:22} {provider.name}, {provider.city} — {deal}")

    def upload(
        self,
        provider: Provider,
        sample: str,
        headline: str,
        caller: Caller | None = None,
        data: bytes | None = None,
    ) -> dict[str, Any]:
        """As ``caller``; by default the practice's admin. ``data``: the file's bytes, when
        not the sample's."""
        self.title(headline)
        caller = caller or Caller.practice(provider.provider_id, "admin")
        status, ticket = self.sandbox.api(
            "POST",
            "/api/v1/provider/declarations",
            caller=caller,
            body={"file_name": Path(sample).name},
        )
        assert status == 201, ticket
        print(
            f"  POST /api/v1/provider/declarations -> {ticket['declaration_id']}, upload URL valid until {ticket['expires_at'][11:16]}"
        )
        key = ticket["upload_url"].split("/_local/uploads/", 1)[1]
        # As the URL's PUT with its upload_headers: If-None-Match: * (one file per upload)
        data = (SAMPLES / sample).read_bytes() if data is None else data
        self.sandbox.put_upload(key, data, once=True)
        sent = self.sandbox.drain_deliveries()
        status, report = self.sandbox.api(
            "GET", f"/api/v1/provider/declarations/{ticket['declaration_id']}", caller=caller
        )
        self.show_report(report, sent)
        self.show_invoices(provider, ticket["declaration_id"])
        return report

    def onboarding(self) -> None:
        """Issue 14: a practice that exists only because an operator created it."""
        self.title("0. An operator onboards a third practice through the operator API (R31, R32)")
        settings = west_settings()
        status, created = self.sandbox.api(
            "POST", "/api/v1/operator/providers", caller=Caller.operator(), body=settings
        )
        assert status == 201, created
        west = self.sandbox.runtime.repository.get_provider(created["provider_id"])
        assert west is not None
        codes = ", ".join(f"{agb.code} ({agb.kind.value})" for agb in west.agb_codes)
        contracts = ", ".join(f"{c.uzovi} from {c.starts:%d-%m-%Y}" for c in west.contracts)
        print(
            f"  POST /api/v1/operator/providers -> {west.provider_id}, version {created['version']}"
        )
        print(f"    {west.name}, {west.city}; AGB codes {codes}")
        print(
            f"    contract with {contracts}; payout to {west.payout.iban} ({west.payout.account_holder})"
        )
        users = f"/api/v1/operator/providers/{west.provider_id}/users"
        for email, role in (
            ("praktijkhouder@fysio-west.example.org", "admin"),
            ("balie@fysio-west.example.org", "staff"),
        ):
            status, _ = self.sandbox.api(
                "POST", users, caller=Caller.operator(), body={"email": email, "role": role}
            )
            print(f"  POST {users} {email} as {role} -> {status}, invitation e-mailed (Cognito)")
        staff = next(Caller.user(u) for u in self.sandbox.users() if u.role.value == "staff")
        self.upload(
            west,
            f"vektis/{WEST_FILE}",
            "0b. Its staff member uploads its first Vektis file: a PM304 whose header names "
            "the practitioner's AGB code; patients insured with CZ (9664) and DSW (7029)",
            caller=staff,
        )
        _, seen = self.sandbox.api("GET", "/api/v1/provider/invoices", caller=staff)
        print(
            f"  GET /api/v1/provider/invoices as the staff member -> {len(seen['items'])} invoices"
        )
        patch = {"version": created["version"], "contact": {"phone": "020 000 0000"}}
        status, answer = self.sandbox.api(
            "PATCH", "/api/v1/provider/settings", caller=staff, body=patch
        )
        print(
            f"  The staff member tries to change the phone number: PATCH /api/v1/provider/settings"
            f" -> {status} {answer['error']['code']}: {answer['error']['message']}"
        )

    def upload_again(self) -> None:
        before = len(self.sandbox.outbox())
        report = self.upload(
            DENTAL, "tandarts-de-vries-2026-11.csv", "3. The same file is uploaded again (R3)"
        )
        after = len(self.sandbox.outbox())
        print(
            f"  -> outcome {report['outcome']}: no new invoice, e-mails sent before {before}, after {after}"
        )

    def patients_act(self) -> None:
        """Issue #4: patients check, pay by iDEAL or bank transfer, defer and arrange."""
        invoices, _ = self.sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
        by_email = sorted(
            (i for i in invoices if i.channel.value == "email"), key=lambda i: -i.amount_due_cents
        )
        large, ideal, deferred = by_email[0], by_email[1], by_email[2]

        self.title("6. A patient checks the invoice and pays by iDEAL (R10, R11)")
        self.show_status(ideal.reference)
        status, checkout = self.sandbox.api(
            "POST",
            f"/api/v1/invoices/{ideal.reference}/payments",
            body={"birth_date": ideal.birth_date.isoformat()},
            headers=JSON,
        )
        print(f"  POST /payments -> {status}, checkout {checkout['checkout_url']}")
        webhook = self.sandbox.complete_psp_payment(checkout["payment_id"], "paid")
        print(
            f"  the bank says paid; POST /webhooks/psp -> {webhook['statusCode']} (the payment is re-fetched, never trusted)"
        )
        self.show_status(ideal.reference)

        self.title("7. The daily bank statement (CAMT.053) brings transfers (R12)")
        statement = (EVENTS / "bank" / "camt053-001.02-2026-11-24.xml").read_bytes()
        self.show_import(
            "camt053/2026-11-24.xml",
            self.sandbox.upload_bank_statement(statement, "2026-11-24.xml"),
        )
        self.show_import(
            "the same statement again",
            self.sandbox.upload_bank_statement(statement, "2026-11-24-again.xml"),
        )

        self.title("8. A patient asks for a free deferral (R14)")
        status, body = self.sandbox.api(
            "POST",
            f"/api/v1/invoices/{deferred.reference}/deferral",
            body={"birth_date": deferred.birth_date.isoformat()},
            headers=JSON,
        )
        print(
            f"  POST /deferral -> {status}: pay by {body.get('final_payment_date')} instead of {deferred.final_payment_date}"
        )

        self.title("9. A patient sets up an instalment arrangement (R15)")
        status, body = self.sandbox.api(
            "POST",
            f"/api/v1/invoices/{large.reference}/arrangement",
            body={"birth_date": large.birth_date.isoformat(), "terms": 3},
            headers=JSON,
        )
        if status == 200:
            terms = ", ".join(f"{t['due_date']} {format_euros(t['amount'])}" for t in body["terms"])
            print(f"  POST /arrangement -> 200: fee {format_euros(body['fee'])}, terms {terms}")
        else:
            print(f"  POST /arrangement -> {status}: {body['error']['message']}")
        self.sandbox.drain_deliveries()
        print(
            f"  confirmation e-mails sent so far: {len(self.sandbox.outbox())} e-mails in the outbox"
        )

    def provider_stops(self) -> None:
        """Issue #6, seed 003: the practice forgives a quarter of an invoice (R21)."""
        self.title("10. The practice stops 25% of an invoice as a goodwill gesture (R21)")
        invoices, _ = self.sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
        invoice = next(
            i
            for i in sorted(invoices, key=lambda i: -i.amount_due_cents)
            if i.channel is Channel.EMAIL and i.deferral is None and i.arrangement is None
        )
        body = {
            "scope": "partial",
            "percentage": "25",
            "reason": "goodwill",
            "patient_email": invoice.addressee.email,
            "accept_terms": True,
        }
        status, _answer = self.sandbox.api(
            "POST",
            f"/api/v1/provider/invoices/{invoice.invoice_id}/stop",
            provider_id=DENTAL.provider_id,
            body=body,
            headers=JSON,
        )
        self.sandbox.drain_deliveries()
        print(
            f"  POST /api/v1/provider/invoices/{{id}}/stop (25% of the original {format_euros(invoice.original_amount_cents)}) -> {status}"
        )
        self.show_status(invoice.reference)
        self.non_contracted_coulance()
        self.stopped = invoice
        self.retour_after_the_stop(invoice)

    def non_contracted_coulance(self) -> None:
        """R17, seeds 001 and 004: the insurer reimbursed 40%; the practice's policy asks
        the gross reimbursement with a minimum of 60%, after the practice confirms."""
        self.title(
            "10b. A patient of the non-contracted practice sends the insurer's statement (R17)"
        )
        invoices, _ = self.sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        invoice = max(
            (i for i in invoices if i.channel is Channel.EMAIL and not i.is_paid),
            key=lambda i: i.amount_due_cents,
        )
        reimbursed = invoice.amount_due_cents * 40 // 100
        status, answer = self.sandbox.api(
            "POST",
            f"/api/v1/invoices/{invoice.reference}/insurer-statement",
            headers=JSON,
            body={
                "birth_date": invoice.birth_date.isoformat(),
                "reimbursed": reimbursed,
                "withheld_deductible": 0,
            },
        )
        print(
            f"  POST /insurer-statement (invoice {format_euros(invoice.amount_due_cents)}, insurer reimbursed {format_euros(reimbursed)}) -> {status}: {answer['outcome']}"
        )
        _, actions = self.sandbox.api(
            "GET", "/api/v1/provider/actions", provider_id=PHYSIO.provider_id
        )
        proposal = next(a for a in actions["items"] if a["kind"] == "coulance_proposal")
        figures = proposal["details"]
        print(
            f"  the practice's action list: pay {format_euros(figures['amount_to_pay_cents'])} "
            f"(60% minimum {format_euros(figures['minimum_cents'])}), forgive {format_euros(figures['coulance_cents'])}"
        )
        status, _ = self.sandbox.api(
            "PATCH",
            f"/api/v1/provider/actions/{proposal['action_id']}",
            provider_id=PHYSIO.provider_id,
            body={"state": "done", "decision": "apply"},
            headers=JSON,
        )
        self.sandbox.drain_deliveries()
        print(
            f"  PATCH /actions/{{id}} {{decision: apply}} -> {status}; the patient is e-mailed the lowered amount"
        )
        self.show_status(invoice.reference)

    def retour_after_the_stop(self, stopped: Invoice) -> None:
        """R5, R13, R21 (stop 41, LATE1): the insurer's MZ302 retour arrives after the
        practice stopped a quarter of the invoice in step 10. It grants the filling in full:
        what the patient would still owe is less than the stop forgave, so the difference
        is booked back (the insurer pays it), never credit the patient did not pay. The
        insurer's corrected retour takes the filling back: the stop forgives again, and the
        patient owes what the stop left them, by a new date (legal-nl.md §7)."""
        self.title(
            "10c. The insurer's retour (MZ302) arrives after the stop of step 10 (R5, R13, R21)"
        )
        repository = self.sandbox.runtime.repository
        now = repository.get_invoice(stopped.provider_id, stopped.invoice_id)
        assert now is not None
        forgiven = -total_of(now.ledger, EntryKind.COULANCE) - total_of(now.ledger, EntryKind.STOP)
        print(
            f"  {reference.grouped(now.reference)}: {format_euros(now.gross_cents)}, the insurer pays "
            f"{format_euros(now.reimbursed_cents)}, the stop forgave {format_euros(forgiven)} "
            "(a partial stop is booked as coulance): "
            f"the patient owes {format_euros(now.amount_due_cents)}"
        )
        lines = {line.claim_ref: line for line in now.lines}
        claims = [c for c in dental_claims() if c.claim_ref in lines]
        filling = next(c for c in claims if c.treatment_code == "V21")
        header = replace(DENTAL_HEADER, uzovi=filling.insurer_uzovi)
        for day, granted_cents, codes in (
            (date(2026, 11, 30), filling.amount_cents, ()),
            (date(2026, 12, 1), 0, ("0613",)),
        ):
            self.sandbox.clock.set(datetime.combine(day, time(10), tzinfo=AMSTERDAM))
            granted = {
                c.claim_ref: Granted(granted_cents, codes)
                if c is filling
                else Granted(lines[c.claim_ref].reimbursed_cents)
                for c in claims
            }
            answer = InsurerAnswer(reference=f"RET-{day:%Y%m%d}", retour_date=day)
            sent = len(self.sandbox.outbox())
            retour_id = self.sandbox.upload_retour(
                DENTAL.provider_id,
                f"{day:%Y-%m-%d}.mz302",
                write_retour(MZ302_V13, header, claims, granted, answer),
            )
            self.sandbox.drain_deliveries()
            report = json.loads(
                self.sandbox.output_object(retour_report_key(DENTAL.provider_id, retour_id))
            )
            after = repository.get_invoice(stopped.provider_id, stopped.invoice_id)
            assert after is not None
            which = (
                "its corrected retour"
                if codes
                else f"the insurer's retour (UZOVI {filling.insurer_uzovi})"
            )
            said = "".join(
                f", retourcode {remark['code']}: {remark['meaning_en']}"
                for remark in report["retour_codes"]
                if remark["claim_ref"] == filling.claim_ref
            )
            print(
                f"  {day:%a %d %b}: {which} grants {format_euros(granted_cents)} of the filling "
                f"({filling.claim_ref}, {filling.treatment_code} {format_euros(filling.amount_cents)}){said}"
            )
            for entry in after.ledger[len(now.ledger) :]:
                print(
                    f"    {entry.kind.value.replace('_', ' '):24} {format_euros(entry.amount_cents):>9}  {entry.note}"
                )
            print(
                f"    the patient owes {format_euros(now.amount_due_cents)} -> "
                f"{format_euros(after.amount_due_cents)}, credit {format_euros(after.credit_cents)}, "
                f"pay by {after.final_payment_date:%d-%m-%Y}"
            )
            for email in self.sandbox.outbox()[sent:]:
                says = next(
                    line
                    for line in email["text"].splitlines()
                    if line.startswith(("You now pay", "Nothing is open"))
                )
                print(f'    the patient\'s e-mail "{email["subject"]}": "{says}"')
            self.show_status(after.reference)
            now = after

    def dunning(self) -> None:
        """Issue #5: time moves on; the daily run (R18-R20) takes every unpaid invoice along
        the timeline, every day replayed with as_of through /_local/schedules/dunning."""
        self.title(
            "11. Time moves on: the daily dunning run, every day from 24 December to 5 February"
        )
        repository = self.sandbox.runtime.repository
        day = date(2026, 12, 24)
        while day <= date(2027, 2, 5):
            self.sandbox.clock.set(day)
            summary = self.sandbox.run_dunning()
            if summary["actions"] or summary["errors"]:
                self.show_run(day, summary)
            if day == LATE_STATEMENT_DAY:
                self.late_transfer(day)
            day += timedelta(days=1)
        replay = self.sandbox.run_dunning(date(2027, 1, 15))
        print(
            f"  replaying Fri 15 Jan 2027 again: {replay['actions']} actions, {sum(replay['letters'].values())} letters (nothing twice, R18)"
        )
        invoices, _ = repository.list_invoices(DENTAL.provider_id)
        # By kenmerk: the store lists by invoice id, which differs from run to run.
        followed = sorted(
            (i for i in invoices if i.reminder is not None), key=lambda i: i.reference
        )
        for channel in (Channel.EMAIL, Channel.PAPER):
            invoice = next((i for i in followed if i.channel is channel and i.handed_over_on), None)
            if invoice is not None:
                self.show_dunning_path(invoice)

    @staticmethod
    def show_run(day: date, summary: dict[str, Any]) -> None:
        steps = ", ".join(f"{step} {count}" for step, count in summary["steps"].items())
        letters = ", ".join(f"{kind} {count}" for kind, count in summary["letters"].items())
        print(
            f"  {day:%a %d %b %Y}: read {summary['read']}, {steps}; letters queued: {letters or '-'}"
            + (f"; errors {summary['errors']}" if summary["errors"] else "")
        )

    def late_transfer(self, day: date) -> None:
        """legal-nl.md §2: the payment date decides, not the moment we learn of it. A
        transfer credited on the last day of the term is read after the run that charged
        the costs: the costs are undone, with the reason on the ledger."""
        repository = self.sandbox.runtime.repository
        invoices, _ = repository.list_invoices(DENTAL.provider_id)
        invoice = min(
            (i for i in invoices if i.channel is Channel.EMAIL and i.costs_charged_on == day),
            key=lambda i: i.reference,
        )
        assert invoice.reminder is not None
        credited_on = invoice.reminder.final_date
        principal = balance(invoice.ledger, Component.PRINCIPAL)
        print(
            f"\n  The payment date decides (legal-nl.md §2): {reference.grouped(invoice.reference)}, "
            f"term to {credited_on:%a %d %b}; the run of {day:%a %d %b} charged "
            f"BIK {format_euros(balance(invoice.ledger, Component.COSTS))} and sent the second notice"
        )
        self.sandbox.clock.set(datetime.combine(day, time(10, 0), tzinfo=AMSTERDAM))
        statement = one_transfer_statement(invoice.reference, principal, credited_on)
        self.show_import(
            f"    10:00 the statement of {credited_on:%d %b} is read, "
            f"{format_euros(principal)} credited on {credited_on:%d %b}",
            self.sandbox.upload_bank_statement(statement, f"{credited_on}.xml"),
        )
        self.sandbox.drain_deliveries()
        after = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
        assert after is not None
        print("    the ledger from the costs on:")
        for entry in after.ledger[len(invoice.ledger) - 1 :]:
            print(
                f"      {entry.kind.value:8} {entry.component.value:9} {format_euros(entry.amount_cents):>10}"
                f"  dated {entry.at:%Y-%m-%d}  {entry.note}"
            )
        self.show_status(invoice.reference)
        print()

    def show_dunning_path(self, invoice: Invoice) -> None:
        reminder = invoice.reminder
        assert reminder is not None
        costs = balance(invoice.ledger, Component.COSTS)
        print(
            f"\n  {reference.grouped(invoice.reference)} by {invoice.channel.value}, principal {format_euros(reminder.covered(invoice.invoice_id).principal_cents)}:"
        )
        print(f"    first day of default   {first_day_of_default(invoice)}")
        print(
            f"    reminder sent          {reminder.sent_on}, received {reminder.received_on}, pay by {reminder.final_date} "
            f"({counted(len(reminder.covers), 'invoice')} in the letter; BIK announced {format_euros(reminder.costs_cents)})"
        )
        print(
            f"    costs charged          {invoice.costs_charged_on}: BIK {format_euros(costs)}; second notice sent"
        )
        for day in (invoice.costs_charged_on, invoice.handed_over_on):
            statement = interest_statement(invoice, day)
            parts = " + ".join(
                f"{s.days} d at {s.percent}% {format_euros(s.interest_cents)}"
                for s in statement.segments
            )
            print(
                f"    interest up to {day}  {format_euros(statement.total_cents)} ({parts or 'none'})"
            )
        key = handover_key(invoice, invoice.handed_over_on)
        amounts = json.loads(self.sandbox.output_object(key))["amounts_cents"]
        print(f"    handed over            {invoice.handed_over_on}: {key}")
        fee = amounts["arrangement_fee"]  # an arrangement's fee is no collection costs (R15)
        print(
            f"                           principal {format_euros(amounts['principal'])} + costs {format_euros(amounts['collection_costs'])} "
            + (f"+ arrangement fee {format_euros(fee)} " if fee else "")
            + f"+ interest {format_euros(amounts['interest'])} = {format_euros(amounts['total'])}"
        )
        self.show_status(invoice.reference)

    def provider_view(self) -> None:
        """Issue #6: what the practice sees after the handovers (R22-R25)."""
        self.title(
            "12. The practice's view: blocked patients, open actions, the week's statement, debtor risk"
        )
        provider = DENTAL.provider_id
        _, blocked = self.sandbox.api(
            "GET", "/api/v1/provider/blocked-patients", provider_id=provider
        )
        print(
            f"  GET /blocked-patients -> {len(blocked['items'])} patients blocked (claims with the collection agency, R22)"
        )
        _, changes = self.sandbox.api(
            "GET",
            "/api/v1/provider/blocked-patients/changes",
            provider_id=provider,
            query={"since": "2027-01-01", "format": "csv"},
        )
        lines = changes.strip().splitlines()
        print(
            f"  GET /blocked-patients/changes?since=2027-01-01&format=csv -> {len(lines) - 1} changes, for the practice software:"
        )
        for line in lines[:3]:
            print(f"    {line}")
        _, actions = self.sandbox.api("GET", "/api/v1/provider/actions", provider_id=provider)
        kinds = Counter(action["kind"] for action in actions["items"] if action["state"] == "open")
        print(
            f"  GET /actions -> open: {', '.join(f'{kind} {count}' for kind, count in sorted(kinds.items()))} (R23)"
        )
        self.sandbox.run_retrocession(date(2026, 11, 30))
        _, statement = self.sandbox.api(
            "GET", "/api/v1/provider/retrocessions/2026-W48", provider_id=provider
        )
        money = statement["settlement"]
        print(
            f"  GET /retrocessions/2026-W48 (23-29 November, R24; its Monday run, as_of 30 November, run late on {self.sandbox.clock.today():%d %B %Y}): "
            f"received {format_euros(money['received'])}, refunded {format_euros(money['refunded'])}, "
            f"service fee {format_euros(money['service_fee'])} ({statement['service_fee_percentage']}%), payout {format_euros(money['payout'])}"
        )
        print(f"    movements of the week: {movements_of_the_week(statement['totals_by_kind'])}")
        _, risk = self.sandbox.api(
            "GET",
            "/api/v1/provider/debtor-risk",
            provider_id=provider,
            query={"from": "2026-11", "to": "2026-11"},
        )
        month = risk["months"][0]
        shares = ", ".join(
            f"{name.replace('_', ' ')} {month[name]['count']}"
            for name in (
                "paid_on_time",
                "paid_late",
                "paid_after_reminder",
                "paid_after_collection",
                "stopped",
                "unpaid",
                "open",
            )
        )
        print(
            f"  GET /debtor-risk?from=2026-11&to=2026-11 -> of {month['invoices']} invoices: {shares} (R25)"
        )

    def pay_the_practices(self) -> None:
        """Issue #19: the week ends with the practices paid (local/demo_payouts.py)."""
        self.title("12b. Paying the practices: proposed, approved, the bank's side, a return")
        pay_the_practices(self.sandbox, date(2026, 11, 30))

    def agency_reports_back(self) -> None:
        """R22, R24 and R34 after the handover: the agency reports the paper claim followed
        in step 11 paid; that settles it and unblocks the patient, and the agency's transfer
        of the money is what the practice receives (counted once, when it reaches us)."""
        self.title(
            "12c. The collection agency reports a claim paid, then transfers the money (R22, R24, R34)"
        )
        invoices, _ = self.sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
        claim = min(
            (i for i in invoices if i.channel is Channel.PAPER and i.handed_over_on),
            key=lambda i: i.reference,
        )
        paid_on = self.sandbox.clock.today()
        _, status = self.sandbox.api("GET", f"/api/v1/payment-status/{claim.reference}")
        collected = status["amount_due"]
        report = (
            "reference;agency_ref;status;amount_cents;paid_on\n"
            f"{claim.reference};CMIB-2027-000001;paid;{collected};{paid_on}\n"
        )
        [answer] = self.sandbox.upload_collection_report(report.encode(), f"agency-{paid_on}.csv")[
            "imported"
        ]
        print(
            f"  collection-reports/agency-{paid_on}.csv: {reference.grouped(claim.reference)} paid "
            f"{format_euros(collected)} on {paid_on} -> booked {answer['booked']}, "
            f"refused {answer['refused']}, claims closed {answer['claims_closed']}"
        )
        self.show_status(claim.reference)
        self.show_unblocked(paid_on)
        remitted_on = paid_on + timedelta(days=2)
        self.sandbox.clock.set(datetime.combine(remitted_on, time(7), tzinfo=AMSTERDAM))
        self.show_import(
            f"the agency's transfer, {format_euros(collected)} quoting the kenmerk, credited {remitted_on}",
            self.sandbox.upload_bank_statement(
                one_transfer_statement(claim.reference, collected, remitted_on),
                f"{remitted_on}.xml",
            ),
        )
        after = self.sandbox.runtime.repository.get_invoice(claim.provider_id, claim.invoice_id)
        assert after is not None
        print("    the ledger from the agency's report on (no credit, no second payment):")
        for entry in after.ledger[len(claim.ledger) :]:
            print(
                f"      {entry.kind.value:8} {entry.component.value:9} {format_euros(entry.amount_cents):>10}"
                f"  {entry.note or entry.cause}"
            )
        self.show_agency_week(remitted_on)

    def in_the_portal(self) -> None:
        """R35: what the practice's staff see of all this in the portal, signed in as
        `make serve` lets them (local/demo_portal.py); the pages go to out/portal/."""
        self.title("12d. The practice's staff in the portal (R35), signed in as `make serve` does")
        assert self.stopped is not None
        visit = visit_the_portal(
            self.sandbox, DENTAL.provider_id, reference.grouped(self.stopped.reference)
        )
        self.portal_pages = {**visit.pages, "static/portal.css": visit.stylesheet()}

    def show_unblocked(self, since: date) -> None:
        _, changes = self.sandbox.api(
            "GET",
            "/api/v1/provider/blocked-patients/changes",
            provider_id=DENTAL.provider_id,
            query={"since": since.isoformat(), "format": "csv"},
        )
        print(f"  GET /blocked-patients/changes?since={since}&format=csv ->")
        for line in changes.strip().splitlines()[1:]:
            print(f"    {line}")

    def show_agency_week(self, day: date) -> None:
        """The week's statement, built by the next Monday's run (R24)."""
        monday = day - timedelta(days=day.weekday())
        next_monday = monday + timedelta(days=7)
        self.sandbox.clock.set(datetime.combine(next_monday, time(5), tzinfo=AMSTERDAM))
        self.sandbox.run_retrocession()
        week = f"{monday:%G-W%V}"
        _, statement = self.sandbox.api(
            "GET", f"/api/v1/provider/retrocessions/{week}", provider_id=DENTAL.provider_id
        )
        information = statement.get("information") or {}
        print(
            f"  GET /retrocessions/{week}: received {format_euros(statement['settlement']['received'])} "
            f"(the agency's transfer {format_euros(information.get('remitted_by_agency', 0))}); "
            f"collected by the agency {format_euros(information.get('collected_by_agency', 0))}, "
            "information only: not in our account when reported"
        )

    @staticmethod
    def show_import(name: str, answer: dict[str, Any]) -> None:
        [report] = answer["imported"]
        print(
            f"  {name}: booked {report['booked']}, duplicates ignored {report['duplicates']}, "
            f"returns {report['reversed']}, unmatched {report['unmatched']} (for manual matching: "
            f"{report['unmatched_key'] or '-'}), debits ignored {report['debits_ignored']}"
        )

    def show_status(self, kenmerk: str) -> None:
        _status, body = self.sandbox.api("GET", f"/api/v1/payment-status/{kenmerk}")
        print(
            f"  GET /payment-status/{kenmerk} -> {body['status']}, due {format_euros(body['amount_due'])}, "
            f"pay by {body['final_payment_date'] or '-'}, state {body['state']}"
        )

    # --- printing ---------------------------------------------------------------------------

    def show_report(self, report: dict[str, Any], deliveries: int) -> None:
        summary = report["summary"]
        print(
            f"  processed: {report['status']} / {report['outcome']} — "
            + counted(summary.get("lines", 0), "line")
        )
        if summary.get("invoices"):
            channels = summary["invoices_by_channel"]
            print(
                f"  {counted(summary['invoices'], 'invoice')} ({channels['email']} by e-mail, {channels['paper']} on paper), "
                f"gross {format_euros(summary['gross_cents'])}, reimbursement deducted "
                f"{format_euros(summary['reimbursement_deducted_cents'])}, to patients "
                f"{format_euros(summary['amount_invoiced_cents'])}; lines to insurers: {summary['claims_to_insurer']}; "
                + counted(deliveries, "delivery", "deliveries")
            )
        shown = report["findings"][:8]
        for finding in shown:
            where = f"line {finding['line']}" if finding["line"] else "file"
            field = f" [{finding['field']}]" if finding["field"] else ""
            print(f"    {finding['severity']:15} {where}{field}: {finding['message']}")
        if len(report["findings"]) > len(shown):
            print(f"    ... and {len(report['findings']) - len(shown)} more in the report")

    def show_invoices(self, provider: Provider, declaration_id: str) -> None:
        invoices, _ = self.sandbox.runtime.repository.list_invoices(provider.provider_id)
        mine = [i for i in invoices if i.declaration_id == declaration_id]
        if not mine:
            return
        print(
            f"  {'betalingskenmerk':19} {'to':28} {'channel':7} {'gross':>11} {'insurer':>10} {'to pay':>11}  pay by"
        )
        for invoice in sorted(mine, key=lambda i: i.reference):
            print(self.invoice_row(invoice))

    @staticmethod
    def invoice_row(invoice: Invoice) -> str:
        who = invoice.addressee.display_name + (" (debtor)" if invoice.debtor else "")
        flags = " !quote" if invoice.warnings else ""
        return (
            f"  {reference.grouped(invoice.reference):19} {who[:28]:28} {invoice.channel.value:7} "
            f"{format_euros(invoice.gross_cents):>11} {format_euros(-invoice.reimbursed_cents):>10} "
            f"{format_euros(invoice.amount_due_cents):>11}  {invoice.final_payment_date:%d-%m-%Y}{flags}"
        )

    def write_outputs(self) -> None:
        self.title(f"What patients and the print shop receive: {shown(OUT)}/")
        shutil.rmtree(OUT, ignore_errors=True)
        counts = {
            "emails": self.write_emails(),
            "print": self.write_prefix("print/"),
            "reports": self.write_prefix("reports/"),
        }
        counts["insurer-claims"] = self.write_prefix("insurer-claims/")
        counts["collection"] = self.write_prefix("collection/")
        counts["retrocession"] = self.write_prefix("retrocession/")
        counts["payouts"] = self.write_prefix("payouts/")
        counts["portal"] = self.write_portal()
        for folder, count in counts.items():
            print(f"  out/{folder + '/':16} {count} files")

    def write_emails(self) -> int:
        folder = OUT / "emails"
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for number, email in enumerate(self.sandbox.outbox(), start=1):
            stem = folder / f"{number:02d}-{email['kenmerk'] or 'mail'}"
            stem.with_suffix(".txt").write_text(
                f"To: {email['to']}\nSubject: {email['subject']}\n\n{email['text']}",
                encoding="utf-8",
            )
            stem.with_suffix(".html").write_text(email["html"], encoding="utf-8")
            for attachment in email["attachments"]:
                (folder / f"{number:02d}-{attachment['filename']}").write_bytes(
                    attachment["content"]
                )
            written += 1
        return written

    def write_portal(self) -> int:
        """The portal's pages as step 12d saw them, with their stylesheet: open them in a
        browser (their links lead to the sandbox's `make serve`)."""
        for name, page in self.portal_pages.items():
            target = OUT / "portal" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(page, bytes):
                target.write_bytes(page)
            else:
                target.write_text(page, encoding="utf-8")
        return len(self.portal_pages)

    def write_prefix(self, prefix: str) -> int:
        keys = self.sandbox.output_keys(prefix)
        for key in keys:
            target = OUT / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.sandbox.output_object(key))
        return len(keys)

    @staticmethod
    def title(text: str) -> None:
        print(f"\n{text}\n{'-' * min(len(text), 100)}")


def counted(count: int, one: str, other: str = "") -> str:
    """The demo's own English words, in the number it counts (R9): "1 line", "2 lines"."""
    return f"{count} {one}" if count == 1 else f"{count} {other or one + 's'}"


def shown(folder: Path) -> Path:
    """The folder as a newcomer finds it: relative to where `make demo` runs when it is
    under it (out/), as chosen otherwise (DEMO_OUT), never the checkout's absolute path."""
    try:
        return folder.relative_to(Path.cwd())
    except ValueError:
        return folder


def one_transfer_statement(kenmerk: str, amount_cents: int, booked_on: date) -> bytes:
    """A CAMT.053 day statement of the collection account with one credit quoting the
    kenmerk in the structured creditor reference (R12), booked on ``booked_on``."""
    amount = f'<Amt Ccy="EUR">{amount_cents // 100}.{amount_cents % 100:02d}</Amt>'
    reference_type = "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>DEMO-{booked_on}</MsgId><CreDtTm>{booked_on}T23:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>NL20INGB0001234567-{booked_on}</Id>"
        "<Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"<Ntry>{amount}<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{booked_on}</Dt></BookgDt><AcctSvcrRef>DEMO-{kenmerk}</AcctSvcrRef>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
        f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>"
        "<RltdPties><Dbtr><Nm>J. de Vries</Nm></Dbtr>"
        "<DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>"
        f"<RmtInf><Strd><CdtrRefInf>{reference_type}<Ref>{kenmerk}</Ref></CdtrRefInf></Strd>"
        "</RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>"
    ).encode()


def easter_story() -> None:
    """legal-nl.md §2, Algemene termijnenwet, on a fresh embedded AWS: a reminder e-mailed
    on Friday 12 March 2027 has 14 days that run out on Good Friday; the term runs on
    past Easter to Tuesday 30 March, the letter says so, and the costs come after it."""
    with Sandbox(EASTER_UPLOAD_DAY) as sandbox:
        demo = Demo(sandbox)
        demo.title(
            "14. A term that ends on the Easter weekend (Algemene termijnenwet, fresh sandbox)"
        )
        sandbox.upload_declaration(
            DENTAL.provider_id, "feb.csv", declaration_csv(6, today=EASTER_UPLOAD_DAY)
        )
        sandbox.drain_deliveries()
        day = date(2027, 3, 5)
        while day <= date(2027, 3, 31):
            sandbox.clock.set(day)
            summary = sandbox.run_dunning()
            if summary["actions"]:
                demo.show_run(day, summary)
            day += timedelta(days=1)
        says = next(
            line.strip()
            for email in sandbox.outbox()
            for line in email["text"].splitlines()
            if "binnen veertien dagen" in line
        )
        print(f'  the reminder says: "{says}"')
        invoices, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
        for invoice in sorted(invoices, key=lambda i: (i.channel.value, i.reference)):
            reminder = invoice.reminder
            if reminder is None or reminder.lead_invoice_id != invoice.invoice_id:
                continue
            days_out = reminder.received_on + timedelta(days=14)
            moved_past = ", ".join(
                ATW_NAMES.get(days_out + timedelta(days=n), f"{days_out + timedelta(days=n):%a}")
                for n in range((reminder.final_date - days_out).days)
            )
            print(
                f"  {reference.grouped(invoice.reference)} by {invoice.channel.value}: sent {reminder.sent_on:%a %d %b}, "
                f"received {reminder.received_on:%a %d %b}; the 14 days run out on {days_out:%a %d %b}"
                f"{', the term moves past ' + moved_past if moved_past else ''}"
                f" -> pay by {reminder.final_date:%a %d %b}; "
                f"costs charged {invoice.costs_charged_on:%a %d %b}"
            )


def excel_story() -> None:
    """R40 and R3 on a fresh embedded AWS: the practice's export names a claim 000042 and a
    patient 0001009; the copy Excel saved again drops the zeros (42, 1009). Read without
    them, both files are one claim of one patient: the copy invoices nothing twice."""
    with Sandbox(SANDBOX_TODAY) as sandbox:
        demo = Demo(sandbox)
        header, line = (
            (SAMPLES / "tandarts-de-vries-2026-11.csv").read_text("utf-8").splitlines()[:2]
        )
        demo.upload(
            DENTAL,
            "export.csv",
            "15. An export whose claim and patient numbers start with zeros (R40, fresh sandbox)",
            data=f"{header}\n{line.replace('TDV26-0001;TDV-1001', '000042;0001009', 1)}\n".encode(),
        )
        before = len(sandbox.outbox())
        report = demo.upload(
            DENTAL,
            "export-excel.csv",
            "15b. The copy Excel saved again, without the zeros: the same claim of the same patient (R3)",
            data=f"{header}\n{line.replace('TDV26-0001;TDV-1001', '42;1009', 1)}\n".encode(),
        )
        print(
            f"  -> outcome {report['outcome']}: no second invoice, e-mails sent before {before}, "
            f"after {len(sandbox.outbox())}"
        )


def nothing_to_forgive_story() -> None:
    """R17 and legal-nl.md §7 on a fresh embedded AWS: the insurer reimbursed a
    non-contracted invoice in full, so the coulance policy forgives nothing; the final date
    has passed meanwhile, so the unchanged amount gets a new one and an e-mail says so."""
    with Sandbox(SANDBOX_TODAY) as sandbox:
        demo = Demo(sandbox)
        demo.title(
            "16. The insurer reimbursed it all: nothing to forgive, a new date to pay by "
            "(R17, legal-nl.md §7, fresh sandbox)"
        )
        sandbox.upload_declaration(
            PHYSIO.provider_id,
            "fysio-centrum-oost-2026-11.csv",
            (SAMPLES / "fysio-centrum-oost-2026-11.csv").read_bytes(),
        )
        sandbox.drain_deliveries()
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        invoice = max(
            (i for i in invoices if i.channel is Channel.EMAIL), key=lambda i: i.amount_due_cents
        )
        sent_on = date(2026, 12, 28)
        sandbox.clock.set(sent_on)
        print(
            f"  {reference.grouped(invoice.reference)}: {format_euros(invoice.amount_due_cents)}, "
            f"pay by {invoice.final_payment_date}, not yet (the patient waits for the insurer)"
        )
        before = len(sandbox.outbox())
        status, answer = sandbox.api(
            "POST",
            f"/api/v1/invoices/{invoice.reference}/insurer-statement",
            headers=JSON,
            body={
                "birth_date": invoice.birth_date.isoformat(),
                "reimbursed": invoice.amount_due_cents,
                "withheld_deductible": 0,
            },
        )
        sandbox.drain_deliveries()
        print(
            f"  {sent_on:%a %d %b}: POST /insurer-statement (reimbursed "
            f"{format_euros(invoice.amount_due_cents)}) -> {status}: {answer['outcome']}, "
            f"pay {format_euros(answer['amount_due'])} by {answer['final_payment_date']}"
        )
        for email in sandbox.outbox()[before:]:
            says = next(line for line in email["text"].splitlines() if "uiterlijk" in line)
            print(f'  the e-mail "{email["subject"]}" says: "{says}"')
        demo.show_status(invoice.reference)


def vektis_story() -> None:
    """Issue #7, on a fresh embedded AWS: the same practices as their software sends it."""
    with Sandbox(SANDBOX_TODAY) as sandbox:
        demo = Demo(sandbox)
        vektis = SAMPLES / "vektis"
        demo.title(
            "13. The same practices, as their software exports it: Vektis EI (fresh sandbox)"
        )
        for provider, name in (
            (DENTAL, "tandarts-de-vries-2026-11.mz301"),
            (PHYSIO, "fysio-centrum-oost-2026-11.pm304"),
        ):
            declaration_id = sandbox.upload_declaration(
                provider.provider_id, name, (vektis / name).read_bytes()
            )
            sent = sandbox.drain_deliveries()
            _status, report = sandbox.api(
                "GET",
                f"/api/v1/provider/declarations/{declaration_id}",
                provider_id=provider.provider_id,
            )
            print(f"  {name} (recognised from its header record, not its name):")
            demo.show_report(report, sent)
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        before = {i.invoice_id: i.amount_due_cents for i in invoices}
        retour_id = sandbox.upload_retour(
            PHYSIO.provider_id,
            "fysio-centrum-oost-2026-11.pm305",
            (vektis / "fysio-centrum-oost-2026-11.pm305").read_bytes(),
        )
        sandbox.drain_deliveries()
        report = json.loads(sandbox.output_object(retour_report_key(PHYSIO.provider_id, retour_id)))
        granted = format_euros(report["summary"]["granted_cents"])
        print(f"  the insurer's retour file (PM305), its trailer total ({granted}) checked")
        print("  against its lines; its retourcodes, where the insurer put them:")
        for code in report["retour_codes"]:
            about = code["claim_ref"] or code["patient_ref"] or "the whole file"
            meaning = code["meaning_en"] or "not in the code list"
            print(f"    {code['level']:<8} {about:<14} {code['code']}  {meaning}")
        print("  and it sets what it granted per line:")
        invoices, _ = sandbox.runtime.repository.list_invoices(PHYSIO.provider_id)
        for line in retour_changes(before, invoices):
            print(f"    {line}")


def retour_changes(before: dict[str, int], invoices: list[Invoice]) -> list[str]:
    """What a retour changed, by kenmerk: the amounts it moved and the invoices it made,
    then how many it left as they were (not each as "€ 50,40 -> € 50,40")."""
    lines = []
    unchanged = 0
    for invoice in sorted(invoices, key=lambda i: i.reference):
        was = before.get(invoice.invoice_id)
        now = format_euros(invoice.amount_due_cents)
        if was == invoice.amount_due_cents:
            unchanged += 1
            continue
        change = (
            f"{format_euros(was)} -> {now}"
            if was is not None
            else f"new invoice {now} (material the insurer refused)"
        )
        lines.append(f"{reference.grouped(invoice.reference)}  {change}")
    if unchanged:
        lines.append(f"{counted(unchanged, 'invoice')} unchanged")
    return lines


def movements_of_the_week(totals_by_kind: dict[str, int]) -> str:
    """A statement's totals per entry kind in words, the kinds with no money left out."""
    return ", ".join(
        f"{KIND_LABELS.get(kind, kind.replace('_', ' '))} {format_euros(total)}"
        for kind, total in totals_by_kind.items()
        if total
    )


def main() -> None:
    with Sandbox(SANDBOX_TODAY) as sandbox:
        Demo(sandbox).run()
    vektis_story()
    easter_story()
    excel_story()
    nothing_to_forgive_story()
    print(
        f"\nDone. What it wrote is listed above under {shown(OUT)}/ (the portal's pages in"
        f' {shown(OUT)}/portal/); to try it yourself, `make serve` (README, "`make serve`:'
        ' the sandbox"). Open out/emails/*.html in a browser, or the PDFs in out/print/.'
    )


if __name__ == "__main__":
    main()
