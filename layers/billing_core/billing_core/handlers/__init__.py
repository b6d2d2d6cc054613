"""Plumbing the Lambda handlers share (Powertools wiring), so each handler file says only
what is its own."""
