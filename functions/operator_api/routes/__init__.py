"""The operator API's resources, one Powertools Router each (issue 11, issue 14)."""
