"""zorgnota's back office behind the operator API (R31-R34, interfaces.md §6).

Every function takes its inputs and a Context built by ``bootstrap.Runtime``; the operator
API checks the caller is in the ``operators`` group before calling any of them. One module
per resource: ``providers`` (settings, versioned with their history, R31) and ``users`` (a
practice's users and roles, R32; the practice admin's self-service uses them too) with an
``OperatorContext``; ``register`` (the insurer register, R33), ``money`` (unmatched
credits, corrections) and ``audit`` (the audit of reads) with a ``BackOfficeContext``;
``money_out`` (the weekly payouts, refunds of held credit, four eyes and the bank's files;
R34, issue 19) with a ``MoneyOutContext``.
Imports: domain rooms and ``ports``; never ``adapters`` or ``entrypoints``.
"""
