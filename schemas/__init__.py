"""Pydantic models shared by the API and the workers: contracts only, no I/O."""
