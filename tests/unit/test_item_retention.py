"""Every kind of item the billing table holds has a decided retention (legal-nl.md §8,
R39; audit ops, stop 42): a new key in ``adapters/dynamo/keys.py`` fails here until
someone writes down how long its items are kept. The figures themselves are tested where
the items are written (tests/functional/test_table_retention.py and others)."""

from __future__ import annotations

import inspect

from billing_core.adapters.dynamo import keys

TTL = "expires_at"
# key builder -> how long its items are kept. "while ..." means no TTL, on purpose.
RETENTION_OF = {
    "provider_key": "while the practice is a customer (its current settings)",
    "provider_partition": "the partition of the items below, each with its own rule",
    "agb_marker_key": "while the practice holds the AGB code; no personal data",
    "settings_version_key": f"{TTL}: 8 years after the change (AUDIT_RETENTION)",
    "user_change_key": f"{TTL}: 8 years after the change (AUDIT_RETENTION)",
    "declaration_key": f"{TTL}: with its processing report, 2,922 days",
    "retour_applied_key": f"{TTL}: as the upload records it protects, 2,922 days (R3)",
    "action_key": f"{TTL}: with its invoice, or a year after it was set done",
    "invoice_actions_partition": "the by-provider index of the actions above",
    "action_list_partition": "the by-credit index of the actions above (their list's pages)",
    "claim_key": f"{TTL}: with its invoice (7 years after the year it was settled); "
    "an insurer-bound line's with its upload record, 2,922 days",
    "invoice_key": f"{TTL}: 7 years after the end of the year it was settled",
    "invoice_partition": "the partition of the invoice above",
    "invoice_list_key": "the by-provider index of the invoice above",
    "invoice_list_partition": "the by-provider index of the invoices",
    "reference_marker_key": f"{TTL}: with its invoice",
    "reference_partition": "the by-reference index of the invoice",
    "birth_date_tries_key": f"{TTL}: an hour after the last try",
    "ledger_week_key": f"{TTL}: with its week's statement, 2,922 days",
    "ledger_week_partition": "the partition of the markers above",
    "retrocession_key": f"{TTL}: the week's end + 2,922 days",
    "retrocession_sort_key": "the sort key of the statement above",
    "patient_block_key": f"{TTL}: 8 years after the unblock (BLOCK_RETENTION); none while blocked",
    "block_change_key": f"{TTL}: 8 years after the change (BLOCK_RETENTION)",
    "insurer_register_key": "no expiry: the insurers' register versions, no personal data",
    "insurer_register_head_key": "no expiry: one item, the register's revision, no personal data",
    "checkout_key": f"{TTL}: 2,922 days after the checkout started",
    "checkout_slot_key": f"{TTL}: a day after its key was kept (used for 15 minutes)",
    "bank_credit_key": f"{TTL}: 2,922 days after the credit was booked",
    "transfer_batch_key": f"{TTL}: 7 years after the year it was sent or withdrawn",
    "transfer_batch_partition": "the partition of the batches above",
    "transfer_batch_list_key": "while batches are made: their ids only",
    "audit_partition": f"{TTL}: 8 years after the read (AUDIT_RETENTION)",
    "unmatched_credit_key": f"{TTL}: a year after it was matched; none while unmatched",
    "run_part_key": f"{TTL}: 15 days after the part finished (finished_parts.PART_KEPT)",
    "open_credit_index_key": "no item of its own: index keys on an unmatched credit, kept as it",
}


def key_builders() -> set[str]:
    return {
        name
        for name, function in inspect.getmembers(keys, inspect.isfunction)
        if function.__module__ == keys.__name__ and name.endswith(("_key", "_partition"))
    }


def test_every_kind_of_item_has_a_decided_retention() -> None:
    """legal-nl.md §8, R39: Given every key builder of the billing table
    When I look it up in the table of retentions
    Then it is there, and nothing is listed that the keys no longer build."""
    built = key_builders()
    assert "settings_version_key" in built and "checkout_key" in built
    assert built == RETENTION_OF.keys(), (
        sorted(built - RETENTION_OF.keys()),
        sorted(RETENTION_OF.keys() - built),
    )
