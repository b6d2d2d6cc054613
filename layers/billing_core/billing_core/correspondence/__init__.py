"""Letters and e-mails to patients: rendering them from Jinja2 templates (``render``,
``templates/``) and fpdf2 (``pdf``), the delivery use case behind the delivery queue
(``delivery``, R7, R30), confirmations (``confirmations``; the kinds a use case asks for in ``kinds``) and bounces turned into open
actions (``bounces``, R23). The message shapes are in ``messages``; SES is an adapter.
Imports: domain rooms, ``texts`` and ``ports``."""
