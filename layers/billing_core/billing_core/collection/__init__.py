"""After the dunning run: the handover file for the collection agency (``handover``, R19),
blocked patients (``blocking``, R22), the agency's report-back (``collection_report``), the
agency's daily file of what changed on its claims (``agency_updates``, R34), the blocked
patients as files for practice software (``block_files``) and how invoices ended up
(``debtor_risk``, R25). Imports: domain rooms and ``ports``."""
