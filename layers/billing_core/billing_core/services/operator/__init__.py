"""zorgnota's back office behind the operator API (R31-R34, interfaces.md §6).

Every function takes its inputs and an ``OperatorContext`` (``context``), built by
``bootstrap.Runtime.operator_context``; the operator API checks the caller is in the
``operators`` group before calling any of them. One module per resource: ``providers``
(settings, versioned with their history, R31) and ``users`` (a practice's users and
roles, R32), which the practice admin's self-service (services.provider) uses too.
"""
