"""The practice as zorgnota knows it: its settings (``provider``) and their versions
(``settings_history``), its users and roles (``users``, ``user_changes``, R32), its open
actions (``actions``, R23), the list of every practice (``listing``), its weekly retrocession statement (``retrocession``, the run
that writes them, ``retrocession_run``, on the Dutch ISO week, ``week``, R24) and the
weekly payout that settles them (``payouts``, ``payout_replan``, R34).
Imports: domain rooms and ``ports``."""
