"""Money in and out of the collection account (``collection_account``): booking a payment
on an invoice (``booking``, R11-R13), iDEAL through a PSP port (``psp``, ``online``, the
checkouts it keeps ``checkouts``, the bank's return to the checker ``bank_return``),
refunds of overpayments (``refunds``, ``returned_refunds``), bank statements (``camt053``
parses CAMT.053, ``bank_import`` books it, R12, and keeps each booked credit as a
``credit_links`` record; credits it cannot book wait in ``unmatched``), the agency's
transfers (``remittance``), and money out with four eyes: transfer batches
(``transfer_batches``), their pain.001 file (``sepa_transfers``) and their entries on the
statement (``own_transfers``, R34); what migration 12 found of their open ids
(``open_batch_ids``). Imports: domain rooms and ``ports``; the Mollie client lives in
``adapters``."""
