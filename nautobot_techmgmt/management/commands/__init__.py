"""`nautobot-server` commands of the technical-management app."""
