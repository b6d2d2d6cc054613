"""Declaration files -> claims, with a processing report a practice employee can read (R1, R2)."""
