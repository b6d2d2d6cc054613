"""Server-rendered pages for patients: the payment checker (R10), no JavaScript needed."""
