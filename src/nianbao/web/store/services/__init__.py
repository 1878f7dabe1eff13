"""The store's services: what the CLI, the worker and (later) the web pages call."""
