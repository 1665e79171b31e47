"""Persistence: SQLAlchemy models, repositories, migrations and the session boundary."""
