"""The operator API's resources, one Powertools Router each (issue 14): others plug in
beside these (insurers, money, audit) the same way."""
