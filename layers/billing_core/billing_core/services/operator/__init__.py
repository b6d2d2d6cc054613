"""What the operator API (zorgnota's back office) calls: money out (``money_out``: the
weekly payouts, refunds of held credit, four eyes and the bank's files; R34, issue 19).
Imports: domain rooms and ``ports``; never ``adapters`` or ``entrypoints``."""
