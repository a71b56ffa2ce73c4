"""Management commands of the technical-management app."""
