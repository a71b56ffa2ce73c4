"""Tests of the knowledge engine, one module per behaviour."""
