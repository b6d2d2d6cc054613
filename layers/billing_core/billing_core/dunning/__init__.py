"""The daily dunning run (product.md R18-R20, legal-nl.md §2-§4): the provider's policy
(``policy``), the timeline that says what is due for an invoice on a day (``timeline``), the
steps (``steps``) the run (``run``) takes, and the interest that accrues once a reminder's
term expired unpaid (``interest``); the letters it queues (``letters``) and the BIK one
letter supports (``letter_costs``), what a payment learnt of late sets right
(``corrections``) and what is due today and why, as the checker shows it (``breakdown``)."""
