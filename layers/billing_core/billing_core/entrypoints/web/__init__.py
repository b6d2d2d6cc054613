"""Server-rendered pages for people: the payment checker (R10, R36)."""
