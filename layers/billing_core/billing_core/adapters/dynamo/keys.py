"""Every key of the single table, built here and nowhere else (issue 11).

The design is drawn in ``items.py``'s docstring. The provider is part of every tenant
key, so an id of another tenant finds nothing (R26); keys carry ids, never personal data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from billing_core.ports import block_change_position, change_log_moment

Key = dict[str, Any]

SETTINGS = "SETTINGS"
SETTINGS_VERSION_PREFIX = "SETTINGSVERSION#"
USER_CHANGE_PREFIX = "USERCHANGE#"
DECLARATION_PREFIX = "DECLARATION#"
RETOUR_APPLIED_PREFIX = "RETOURAPPLIED#"
ACTION_PREFIX = "ACTION#"
RETROCESSION_PREFIX = "RETROCESSION#"
PATIENT_BLOCK_PREFIX = "PATIENTBLOCK#"
BLOCK_CHANGE_PREFIX = "BLOCKCHANGE#"
CLAIM_MARK = "#CLAIM#"
PROVIDERS_INDEX = "PROVIDERS"  # by-provider partition of every provider's settings
DUNNING_INDEX = "DUNNING"  # by-next-action partition of invoices with a dunning step due
CREDIT_INDEX = "CREDIT"  # by-credit partition of invoices holding a patient's credit (R13)
SEQUENCE_KEY: Key = {"pk": "SEQUENCE#reference", "sk": "SEQUENCE"}
# The last day whose agency files the dunning run wrote (R34): the next run goes on from it.
AGENCY_FILES_KEY: Key = {"pk": "RUN#agency-updates", "sk": "WRITTEN"}
# The days whose agency file was written without a stored invoice that did not load (R34):
# a string set of "{day}#{provider}#{invoice}", written again by the next runs.
AGENCY_FILES_OWED_KEY: Key = {"pk": "RUN#agency-updates", "sk": "OWED"}
# The parts of runs in parts their functions finished (parts58): one item each.
RUN_PARTS = "RUN#parts"
HIGHEST = "~"  # sorts after every id, date and moment used in a key


def provider_partition(provider_id: str) -> str:
    """The partition of a provider's own items: settings, uploads, actions, statements."""
    return f"PROVIDER#{provider_id}"


def provider_key(provider_id: str) -> Key:
    return {"pk": provider_partition(provider_id), "sk": SETTINGS}


def run_part_key(function: str, as_of: date, place: list[str], run: str | None = None) -> Key:
    """A finished part of ``function``'s run ``run`` of ``as_of`` that went on from
    ``place``: the place (a dunning place names a patient's number) by its SHA-256 only, so
    the key holds ids and a day, and stays short however long the place is. A rerun of the
    day is another run, with marks of its own (parts58b); a part queued before runs had
    ids (``run`` None) has the key it had (parts58)."""
    import hashlib
    import json

    digest = hashlib.sha256(json.dumps(place).encode()).hexdigest()[:32]
    of_run = "" if run is None else f"{run}#"
    return {"pk": RUN_PARTS, "sk": f"{function}#{as_of.isoformat()}#{of_run}{digest}"}


def agb_marker_key(code: str) -> Key:
    """An AGB code's ownership marker (R31, interfaces.md §6: one provider per code):
    claimed in the transaction of the settings that add the code, released in the one of
    the settings that drop it."""
    return {"pk": f"AGB#{code}", "sk": "AGB"}


def settings_version_key(provider_id: str, version: int) -> Key:
    """Zero-padded: the history lists oldest first by sort key (R31)."""
    return {"pk": provider_partition(provider_id), "sk": f"{SETTINGS_VERSION_PREFIX}{version:08d}"}


def user_change_key(provider_id: str, at: datetime, change_id: str) -> Key:
    """Oldest first by sort key (R31, R32); the id keeps two changes of a moment apart.
    No address in the key: the item holds it, the key only ids."""
    return {
        "pk": provider_partition(provider_id),
        "sk": f"{USER_CHANGE_PREFIX}{audit_position(at)}#{change_id}",
    }


def declaration_key(provider_id: str, declaration_id: str) -> Key:
    return {"pk": provider_partition(provider_id), "sk": f"{DECLARATION_PREFIX}{declaration_id}"}


def retour_applied_key(provider_id: str, digest: str) -> Key:
    """A retour file's content (its SHA-256) applied completely by this provider (R3): a
    later upload of the same bytes is not applied again. Outside ``DECLARATION#``, so
    the upload list never reads it; the key carries a digest, no personal data."""
    return {"pk": provider_partition(provider_id), "sk": f"{RETOUR_APPLIED_PREFIX}{digest}"}


# --- open actions (R23) --------------------------------------------------------------------


def action_key(provider_id: str, action_id: str) -> Key:
    """Found by its id alone: one GetItem for one action."""
    return {"pk": provider_partition(provider_id), "sk": f"{ACTION_PREFIX}{action_id}"}


def invoice_actions_partition(provider_id: str, invoice_id: str) -> str:
    """The by-provider index partition of one invoice's actions (the invoice page)."""
    return f"{invoice_partition(provider_id, invoice_id)}#ACTIONS"


def action_list_partition(provider_id: str) -> str:
    """The by-credit index partition of a provider's actions, by ``action_position``: a
    page of the action list is one Query (R23, R35; actionpages56). An open action sorts
    under OPEN_ACTIONS (items.action_list_sort_key)."""
    return f"{provider_partition(provider_id)}#ACTIONS"


# Before an open action's position in its practice's action list (openact57): the open list
# is one Query of this prefix, never read through the done actions kept as long as their
# invoice. A done one sorts by its bare position, which starts with a digit (its year).
OPEN_ACTIONS = "OPEN#"


# --- claims and invoices ----------------------------------------------------------------------


def claim_key(provider_id: str, claim_ref: str) -> Key:
    return {"pk": f"{provider_partition(provider_id)}{CLAIM_MARK}{claim_ref}", "sk": "CLAIM"}


def claim_ref_of(claim_partition: str) -> str:
    return claim_partition.split(CLAIM_MARK, 1)[1]


def invoice_partition(provider_id: str, invoice_id: str) -> str:
    return f"{provider_partition(provider_id)}#INVOICE#{invoice_id}"


def invoice_key(provider_id: str, invoice_id: str) -> Key:
    return {"pk": invoice_partition(provider_id, invoice_id), "sk": "INVOICE"}


def birth_date_tries_key(reference: str) -> Key:
    """Wrong birth dates given for a reference (issue 13.3): a counter with a TTL."""
    return {"pk": f"BIRTHDATE_TRIES#{reference}", "sk": "TRIES"}


def reference_marker_key(reference: str) -> Key:
    """The betalingskenmerk's uniqueness marker (issue 13 item 1): written in the
    transaction of the one invoice that carries it, on condition that it is new."""
    return {"pk": f"REFERENCE#{reference}", "sk": "REFERENCE"}


def reference_partition(reference: str) -> str:
    """The by-reference index partition: the payment checker's one read (R10)."""
    return f"REF#{reference}"


def invoice_list_partition(provider_id: str) -> str:
    """The by-provider index partition of a provider's invoices."""
    return f"{provider_partition(provider_id)}#INVOICES"


def invoice_position(issue_date: date, invoice_id: str) -> str:
    """Newest first when read backwards; also the opaque paging cursor's content."""
    return f"{issue_date.isoformat()}#{invoice_id}"


def invoice_list_key(provider_id: str, position: str) -> Key:
    """The full index key of the invoice at ``position``, rebuilt with *this* provider's
    id: a position taken from another tenant can only point into this tenant's list."""
    invoice_id = position.rsplit("#", 1)[-1]
    return {
        **invoice_key(provider_id, invoice_id),
        "gsi2pk": invoice_list_partition(provider_id),
        "gsi2sk": position,
    }


def dunning_position(day: date, provider_id: str, patient_ref: str, invoice_id: str) -> str:
    """One patient's invoices due the same day sit together: one reminder can cover them."""
    return f"{day.isoformat()}#{provider_id}#{patient_ref}#{invoice_id}"


def dunning_due_until(as_of: date) -> str:
    return f"{as_of.isoformat()}#{HIGHEST}"


def credit_position(provider_id: str, issue_date: date, invoice_id: str) -> str:
    """A practice's invoices holding credit sit together, in the order of its list."""
    return f"{provider_id}#{issue_date.isoformat()}#{invoice_id}"


# --- retrocession statements (R24) -------------------------------------------------------------


def ledger_week_partition(provider_id: str, week_label: str) -> str:
    """Which of the provider's invoices had a ledger entry recorded in the week: one small
    item per invoice and week, written with the entry (issue 14 item 7)."""
    return f"{provider_partition(provider_id)}#LEDGERWEEK#{week_label}"


def ledger_week_key(provider_id: str, week_label: str, invoice_id: str) -> Key:
    return {"pk": ledger_week_partition(provider_id, week_label), "sk": f"INVOICE#{invoice_id}"}


def retrocession_sort_key(week_label: str) -> str:
    return f"{RETROCESSION_PREFIX}{week_label}"


def retrocession_key(provider_id: str, week_label: str) -> Key:
    return {"pk": provider_partition(provider_id), "sk": retrocession_sort_key(week_label)}


# --- blocked patients (R22) ---------------------------------------------------------------------


def patient_block_key(provider_id: str, patient_ref: str) -> Key:
    return {"pk": provider_partition(provider_id), "sk": f"{PATIENT_BLOCK_PREFIX}{patient_ref}"}


def block_change_key(provider_id: str, at: datetime, version: int, patient_ref: str) -> Key:
    """``version``: the block's version after the change; two changes of one patient at
    the same moment keep their order. The sort key after its prefix is the position a
    page of changes hands out (ports.block_change_position)."""
    position = block_change_position(at, version, patient_ref)
    return {"pk": provider_partition(provider_id), "sk": f"{BLOCK_CHANGE_PREFIX}{position}"}


def block_changes_from(since: datetime) -> str:
    return f"{BLOCK_CHANGE_PREFIX}{change_log_moment(since)}"


# --- payments in from outside (R11, R12) ---------------------------------------------------------


# --- reference data: the insurer register (R33) ------------------------------------------------

INSURER_REGISTER_PARTITION = "INSURERS"
INSURER_VERSION_PREFIX = "VERSION#"
INSURER_HEAD_SORT_KEY = "HEAD"


def insurer_register_key(version: str) -> Key:
    return {"pk": INSURER_REGISTER_PARTITION, "sk": f"{INSURER_VERSION_PREFIX}{version}"}


def insurer_register_head_key() -> Key:
    """The register's revision (how many loads it took), written with every load (R28)."""
    return {"pk": INSURER_REGISTER_PARTITION, "sk": INSURER_HEAD_SORT_KEY}


def checkout_key(psp_payment_id: str) -> Key:
    return {"pk": f"PSP#{psp_payment_id}", "sk": "CHECKOUT"}


def checkout_slot_key(slot: str) -> Key:
    """The idempotency key last used for a checkout of a kenmerk, amount and ledger length."""
    return {"pk": f"PSPKEY#{slot}", "sk": "CHECKOUT_KEY"}


def bank_credit_key(account_iban: str, transfer_id: str) -> Key:
    return {"pk": f"BANK#{account_iban}#TRANSFER#{transfer_id}", "sk": "CREDIT"}


# --- money out: payout and refund batches (R34) -------------------------------------------------


def transfer_batch_partition(kind: str) -> str:
    """All batches of one kind in one partition: a few a week, listed newest first."""
    return f"TRANSFERBATCH#{kind}"


def transfer_batch_key(kind: str, batch_id: str) -> Key:
    return {"pk": transfer_batch_partition(kind), "sk": batch_id}


def transfer_batch_list_key(kind: str) -> Key:
    """The version of a kind's batch list: outside its partition, which lists batches only."""
    return {"pk": f"TRANSFERBATCHLIST#{kind}", "sk": "VERSION"}


# --- the audit of reads (R32, NEN 7513) ------------------------------------------------------


def audit_partition(provider_id: str, month: str) -> str:
    """A provider's reads of one month (YYYY-MM, UTC): a period is a Query per month."""
    return f"{provider_partition(provider_id)}#AUDIT#{month}"


def audit_position(moment: datetime) -> str:
    """Sorts by the moment in UTC; an id after it keeps two reads of one moment apart."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# --- bank credits nobody could book yet (R34) -------------------------------------------------

UNMATCHED_CREDITS = "BANK#UNMATCHED"  # one partition: matched ones expire after a year
UNMATCHED_CREDIT_PREFIX = "CREDIT#"


def unmatched_credit_key(credit_id: str) -> Key:
    return {"pk": UNMATCHED_CREDITS, "sk": f"{UNMATCHED_CREDIT_PREFIX}{credit_id}"}


def open_credit_index_key(booking_date: str, credit_id: str) -> Key:
    """An open credit's place on the by-credit index (its own partition, not the
    invoices' CREDIT nor a practice's actions): oldest booking first, then by id. A
    match removes it, a withdrawn match writes it again, so a page of the operator's
    list reads the open credits only (R34)."""
    return {"gsi4pk": UNMATCHED_CREDITS, "gsi4sk": f"{booking_date}#{credit_id}"}
