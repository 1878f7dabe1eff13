"""The store: agencies, reports with their source files, the long cell table, findings, import
jobs and items, and the audit log (see docs/storage.md)."""
