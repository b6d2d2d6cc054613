"""The operators' back office (R32-R34, issue 14): the insurer register (``register``),
the money nobody else can move (``money``: unmatched credits, corrections, pending
refunds) and the audit of reads (``audit``). Every function takes its inputs and an
``OperatorContext`` (``context``), built by ``bootstrap.Runtime.operator_context``."""
