"""One Powertools Router per resource of the operator API (interfaces.md §6)."""
