"""Repositories: every SQL statement of the service lives here. They flush, never commit."""
