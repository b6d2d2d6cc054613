"""What the two APIs and the portal call: the patient's queries and commands
(``patient``) and the practice's (``provider``). Each takes its inputs and a
dependencies object that ``bootstrap`` builds; none talks to AWS itself.
Imports: domain rooms and ``ports``; never ``adapters`` or ``entrypoints``."""
