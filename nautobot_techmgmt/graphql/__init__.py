"""GraphQL types the app defines itself instead of leaving them to Nautobot's generator."""
