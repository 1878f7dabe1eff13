"""The public side, without login: the online application form of 条例第二十九条 (it lands in the
agency's ledger), the status lookup by number and code, and each agency's published reports."""
