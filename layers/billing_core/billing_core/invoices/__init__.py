"""The invoice and its money: the invoice aggregate (``invoice``), the append-only ledger
whose entries make every balance (``ledger``, R27), how a payment is split over costs,
interest and principal (``allocation``, legal-nl.md §5) and the versioned save with retry
(``updates``, R28). Read from the ledger: paid or open (``payment_status``) and the costs
still owed by kind (``open_costs``). A practice's list (``listing``) and its search by name
(``name_search``, R35); who may act on an invoice from the public side (``access``, R36);
how long it is kept (``retention``, legal-nl.md §8, with its migration's answers in
``retention_migration``); who holds a betalingskenmerk, as the kenmerk markers' migration
reads it (``reference_holder``). Imports: ``shared``, ``providers.actions`` and ``ports``."""
