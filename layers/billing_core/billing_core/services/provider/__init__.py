"""The practice's queries and commands behind the provider API (R1, R16, R21-R26).

Every function takes its inputs and a ``ProviderContext`` (``context``), built by
``bootstrap.Runtime.provider_context``. The provider id always comes from the verified
token, and every lookup is keyed by it, so another tenant's ids find nothing (R26).
By resource: ``declarations`` (uploads and their reports), ``invoices`` (list, detail,
stop, hold), ``actions`` (R23, with the coulance decision of R17), ``statements``
(retrocession R24, debtor risk R25) and ``blocked_patients`` (R22).
"""
