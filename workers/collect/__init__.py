"""Collectors: poll feeds, pages and social timelines safely and turn them into documents."""
