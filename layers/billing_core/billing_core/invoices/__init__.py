"""The invoice and its money: the invoice aggregate (``invoice``), the append-only
ledger whose entries make every balance (``ledger``, R27), how a payment is split over
costs, interest and principal (``allocation``, legal-nl.md §5) and the versioned save
with retry (``updates``, R28). Imports: ``shared``, ``providers.actions`` and ``ports``."""
