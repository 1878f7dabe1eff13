"""The web pages, and the data each one shows (``data``), which the JSON API serves as is."""
