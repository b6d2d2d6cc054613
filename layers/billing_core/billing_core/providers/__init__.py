"""The practice as zorgnota knows it: its settings (``provider``), its open actions
(``actions``, R23) and its weekly retrocession statement (``retrocession`` and the run
that writes them, ``retrocession_run``, R24). Imports: domain rooms and ``ports``."""
