"""The daily dunning run (product.md R18-R20, legal-nl.md §2-§4): the provider's policy,
the timeline that says what is due for an invoice on a day, the steps, and the interest
that accrues once a reminder's term expired unpaid."""
