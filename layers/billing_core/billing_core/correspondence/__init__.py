"""Letters and e-mails to patients: rendering them from Jinja2 templates (``render``,
``templates/``) and fpdf2 (``pdf``), the delivery use case behind the delivery queue
(``delivery``, R7, R30), confirmations (``confirmations``; the kinds a use case asks for in
``kinds``) and bounces turned into open actions (``bounces``, R23). The message shapes are
in ``messages``; SES is an adapter. After sending: the invoice PDF served again
(``invoice_copy``, R30, R36) and the letters kept and deleted (``kept_letters``, legal-nl.md
§8); the public addresses a patient is sent to (``links``), who the patient can reach
(``practice_contact``, R36); the DejaVu font the PDFs print with lies in ``fonts/``.
Imports: domain rooms, ``texts`` and ``ports``."""
