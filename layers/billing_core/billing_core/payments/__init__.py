"""Money in from patients: booking a payment on an invoice (``booking``, R11-R13), iDEAL
through a PSP port (``psp``, ``online``), refunds of overpayments (``refunds``), bank
statements (``camt053`` parses CAMT.053, ``bank_import`` books it, R12).
Imports: domain rooms and ``ports``; the Mollie client lives in ``adapters``."""
