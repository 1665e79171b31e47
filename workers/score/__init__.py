"""Sentiment scoring of quotes."""
