"""The provider API's resources, one Powertools Router each (issue 11)."""
