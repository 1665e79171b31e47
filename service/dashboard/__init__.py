"""The dashboard: server-rendered pages over the same repositories as the API."""

from service.dashboard.routes import router
from service.dashboard.templating import STATIC_DIR, STATIC_URL

__all__ = ["STATIC_DIR", "STATIC_URL", "router"]
