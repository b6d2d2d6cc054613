"""Bank statements: CAMT.053 parsing (camt053.py); the import use case is bank_import.py."""
