"""Persistence: the only package with SQL in it."""
