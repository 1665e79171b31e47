"""Grouping documents into events."""
