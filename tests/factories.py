"""Plain factory functions for tests: settings, apps and the hand-checked fixture documents."""

import json
from pathlib import Path
from typing import Any

from config import Settings

TOKEN = "test-admin-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIXTURES = Path(__file__).parent / "fixtures"


def make_settings(*, database_url: str, redis_url: str | None, **overrides: Any) -> Settings:
    """Settings for a test, independent of the environment."""
    return Settings(database_url=database_url, redis_url=redis_url, admin_token=TOKEN, **overrides)


def pipeline_docs() -> list[dict[str, str]]:
    """The three Zephyr documents whose summary figures are worked out by hand in the tests."""
    docs: list[dict[str, str]] = json.loads((FIXTURES / "pipeline_docs.json").read_text("utf-8"))
    return docs
