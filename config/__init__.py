"""The one settings object of the service, read from `REACTIONS_*` environment variables."""

from config.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
