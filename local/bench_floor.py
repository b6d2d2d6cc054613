"""(b)'s second floor: what the core ingest keeps, built with no check at all.

A bare ``csv.reader`` pass (the table's floor) builds nothing; the core ingest must end
with a ``Claim`` per line and, per patient, an ``Address``, a ``Person`` and an
``InvoiceDraft`` with an ``InvoiceLine`` per claim. This builds exactly those, as cheaply
as Python allows (a treatment's date and amount parsed once, as the core does), and
checks nothing: no R2 finding, no coverage rule (nothing reimbursed), no grouping rule
but the patient reference. What the core costs beyond it is the checks, the routing
and the planning; what it costs below it no ingest can save.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter

from billing_core.declarations.claims import Address, Claim, LineType, Person
from billing_core.declarations.csv_rows import CsvRows
from billing_core.declarations.invoicing import InvoiceDraft, invoice_line

_PATIENT = (
    *("initials", "name_prefix", "last_name", "street", "house_number"),
    *("house_number_suffix", "postcode", "city", "country", "email", "birth_date"),
)
_CLAIM = ("claim_ref", "patient_ref", "bsn", "insurer_uzovi", "treatment_code", "description")
_TREATMENT = ("treatment_date", "quantity", "unit_price")


def objects_only(data: bytes) -> list[InvoiceDraft]:
    """The drafts of ``data`` (a CSV declaration of interfaces.md §1a), unchecked."""
    rows = iter(CsvRows(data.decode("utf-8"), ";"))  # the rows the core reads, as it reads them
    columns = {name: position for position, name in enumerate(next(rows))}
    patient_cells = itemgetter(*(columns[c] for c in _PATIENT))
    claim_cells = itemgetter(*(columns[c] for c in _CLAIM))
    treatment_cells = itemgetter(*(columns[c] for c in _TREATMENT))
    patients: dict[str, tuple[Person, date, list[Claim]]] = {}
    treatments: dict[tuple[str, ...], tuple[date, int, int]] = {}
    for line, row in enumerate(rows, 2):
        claim_ref, patient_ref, bsn, uzovi, code, description = claim_cells(row)
        person, born, claims = patients.get(patient_ref) or _patient(
            patients, patient_ref, patient_cells(row)
        )
        cells = treatment_cells(row)
        day, quantity, price = treatments.get(cells) or _treatment(treatments, cells)
        claims.append(
            Claim(
                line,
                claim_ref,
                patient_ref,
                bsn,
                born,
                person,
                None,
                uzovi,
                "",
                day,
                None,
                code,
                description,
                LineType.CARE,
                quantity,
                price,
            )
        )
    return [_draft(claims) for _person, _born, claims in patients.values()]


def _patient(
    patients: dict[str, tuple[Person, date, list[Claim]]], reference: str, cells: tuple[str, ...]
) -> tuple[Person, date, list[Claim]]:
    initials, prefix, last_name, street, number, suffix, postcode, city, country, email, born = (
        cells
    )
    address = Address(street, number, suffix, postcode, city, country)
    patient = (Person(initials, prefix, last_name, address, email), _date(born), [])
    patients[reference] = patient
    return patient


def _treatment(
    treatments: dict[tuple[str, ...], tuple[date, int, int]], cells: tuple[str, ...]
) -> tuple[date, int, int]:
    day, quantity, price = cells
    euros, _, cents = price.partition(",")
    treatment = (_date(day), int(quantity), int(euros) * 100 + int(cents))
    treatments[cells] = treatment
    return treatment


def _date(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), int(text[8:10]))


def _draft(claims: list[Claim]) -> InvoiceDraft:
    # The core's own invoice line for a claim, nothing reimbursed, no contract.
    lines = [invoice_line(claim, 0, False) for claim in claims]
    return InvoiceDraft(tuple(claims), tuple(lines))
