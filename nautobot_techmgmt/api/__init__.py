"""REST API of nautobot-techmgmt."""
