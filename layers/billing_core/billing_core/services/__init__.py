"""What the two APIs and the portal call: the patient's queries and commands (``patient``),
the practice's (``provider``) and the back office's (``operator``, R31-R34). Each takes its
inputs (read from request text, with their one refusal, in ``inputs``) and a dependencies
object that ``bootstrap`` builds; none talks to AWS itself. Imports: domain rooms and
``ports``; never ``adapters`` or ``entrypoints``."""
