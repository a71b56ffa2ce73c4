"""Tests of nautobot-techmgmt."""
