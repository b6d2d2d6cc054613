"""A moment stored in another zone than Amsterdam's (a PSP, SES and S3 stamp theirs in UTC)
is shown on its Dutch day and answered in Dutch time (architecture.md: dates
Europe/Amsterdam; R27, R30, R22, R35; audit utcday56: the invoice page's ledger and
letters, and the blocked patients page, showed such a moment's UTC day, and the provider
API answered the ledger's and letters' moments in UTC beside the others' Dutch time)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from billing_core.invoices.invoice import Channel, Correspondence
from billing_core.invoices.ledger import Component, EntryKind, LedgerEntry
from billing_core.texts.catalogue import long_date, short_date
from local.generate import declaration_csv
from local.seed import DENTAL
from tests.contract.samples import declaration
from tests.functional.test_blocked_patients import hand_over
from tests.functional.test_provider_portal import signed_in

# 00:30 in Amsterdam on the 24th, stamped in UTC: in winter (+01:00) and in summer (+02:00).
NIGHTS = {
    "winter": (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), date(2026, 11, 24)),
    "summer": (datetime(2026, 6, 23, 22, 30, tzinfo=UTC), date(2026, 6, 24)),
}
DUTCH_TIME = {"winter": "2026-11-24T00:30:00+01:00", "summer": "2026-06-24T00:30:00+02:00"}


@pytest.fixture
def invoices(sandbox):
    """The dental practice's first upload: one unpaid invoice per patient."""
    sandbox.upload_declaration(DENTAL.provider_id, "week-47.csv", declaration_csv(3))
    sandbox.drain_deliveries()
    found, _ = sandbox.runtime.repository.list_invoices(DENTAL.provider_id)
    return sorted(found, key=lambda i: i.patient_ref)


def last_rows(html: str, table_id: str, count: int) -> list[str]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return table.split("<tr>")[-count:]


def last_letters(html: str, count: int) -> list[str]:
    return html.split('id="letters"')[1].split("</ul>")[0].split("<li>")[-count:]


@pytest.mark.parametrize("season", ["winter", "summer"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_payment_and_a_letter_of_a_dutch_night_show_on_their_dutch_day(
    sandbox, invoices, language, season
):
    """R27, R30, R35, architecture.md (audit utcday56).
    Given an invoice whose ledger has a payment and whose letters have a reminder, both
    stamped in UTC at 00:30 Amsterdam time on the 24th (23:30Z in winter, 22:30Z in summer)
    When the staff open the invoice page in ``language`` and the practice reads the invoice
    through the provider API
    Then the page dates the payment and the letter the 24th, and the API answers both
    moments in Dutch time."""
    at, dutch_day = NIGHTS[season]
    invoice = invoices[0]
    repository = sandbox.runtime.repository
    stored = repository.get_invoice(invoice.provider_id, invoice.invoice_id)
    payment = LedgerEntry(EntryKind.PAYMENT, Component.PRINCIPAL, -100, at, "psp:tr_night")
    letter = Correspondence("reminder", Channel.EMAIL, at, "ses-night")
    repository.save_invoice(
        replace(
            stored,
            ledger=(*stored.ledger, payment),
            correspondence=(*stored.correspondence, letter),
        )
    )

    _, html = signed_in(sandbox, "staff", language).page(f"/portal/notas/{invoice.invoice_id}")
    _, answer = sandbox.api(
        "GET", f"/api/v1/provider/invoices/{invoice.invoice_id}", provider_id=DENTAL.provider_id
    )

    [payment_row] = last_rows(html, "ledger", 1)
    assert f'<span class="date">{short_date(dutch_day, language)}</span>' in payment_row
    [letter_item] = last_letters(html, 1)
    assert letter_item.startswith(f"{long_date(dutch_day, language)}:")
    assert answer["ledger"][-1]["at"] == DUTCH_TIME[season]
    assert answer["letters"][-1]["at"] == DUTCH_TIME[season]


@pytest.mark.parametrize("season", ["winter", "summer"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_patient_blocked_in_a_dutch_night_is_blocked_since_the_dutch_day(
    sandbox, invoices, language, season
):
    """R22, R35, architecture.md (audit utcday56: the page showed the UTC day the API
    did not: it answers blocked_at in Dutch time).
    Given a patient blocked at 00:30 Amsterdam time on the 24th, stamped in UTC
    When the staff open the blocked patients page in ``language``
    Then the patient's row says blocked since the 24th."""
    at, dutch_day = NIGHTS[season]
    blocked = invoices[1]
    hand_over(sandbox, blocked, at=at)

    _, html = signed_in(sandbox, "staff", language).page("/portal/geblokkeerd")

    [row] = [r for r in html.split("<tr") if f">{blocked.patient_ref}</td>" in r]
    [shown] = re.findall(r'<span class="date">([^<]+)</span>', row)
    assert shown == short_date(dutch_day, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_upload_of_a_dutch_night_is_listed_on_its_dutch_day(sandbox, language):
    """R35, architecture.md (audit utcday56).
    Given an upload whose record was stamped 23:30Z on 23 November (00:30 on the 24th)
    When the staff open the uploads page in ``language`` and the practice lists them
    through the provider API
    Then the page dates it the 24th, and the API answers its moment in Dutch time."""
    at, dutch_day = NIGHTS["winter"]
    sandbox.runtime.repository.put_declaration(
        declaration("20261123233000-00000001", DENTAL.provider_id, created_at=at)
    )

    _, html = signed_in(sandbox, "staff", language).page("/portal/declaraties")
    _, answer = sandbox.api("GET", "/api/v1/provider/declarations", provider_id=DENTAL.provider_id)

    [row] = [r for r in html.split("<tr") if "20261123233000-00000001" in r]
    [shown] = re.findall(r'<span class="date">([^<]+)</span>', row)
    assert shown == short_date(dutch_day, language)
    [listed] = answer["items"]
    assert listed["created_at"] == DUTCH_TIME["winter"]
