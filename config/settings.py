"""Typed settings, validated once at start-up so a bad value fails loudly, not mid-request."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_URL = f"sqlite:///{Path('data') / 'reactions.db'}"
PLACEHOLDER_TOKENS = frozenset({"", "changeme", "change-me", "dev-token", "secret", "token"})


class Settings(BaseSettings):
    """Everything configurable; `REDIS_URL` unset selects the embedded mode."""

    model_config = SettingsConfigDict(env_prefix="REACTIONS_", extra="ignore")

    database_url: str = DEFAULT_SQLITE_URL
    redis_url: str | None = None
    admin_token: str | None = None
    max_document_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    public_reads: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    task_max_attempts: int = Field(default=3, ge=1, le=20)
    sweep_after_s: int = Field(default=180, ge=1)
    sweep_interval_s: float = Field(default=60.0, ge=0.5)
    db_pool_size: int = Field(default=10, ge=1, le=100)

    @field_validator("redis_url", "admin_token", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """Treat `REACTIONS_X=` (empty) as unset, as docker-compose `.env` files produce it."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _refuse_placeholder_token(self) -> "Settings":
        """On the production path (Redis set) a missing or placeholder admin token is refused."""
        if self.redis_url and (self.admin_token or "").lower() in PLACEHOLDER_TOKENS:
            raise ValueError(
                "REACTIONS_ADMIN_TOKEN must be set to a real secret when REACTIONS_REDIS_URL is set"
            )
        return self

    @property
    def embedded(self) -> bool:
        """True when tasks run in-process instead of on Celery workers."""
        return self.redis_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
