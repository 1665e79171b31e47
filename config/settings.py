"""Typed settings, validated once at start-up so a bad value fails loudly, not mid-request."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE_URL = f"sqlite:///{Path('data') / 'reactions.db'}"
PLACEHOLDER_TOKENS = frozenset({"", "changeme", "change-me", "dev-token", "secret", "token"})
# Seconds before each webhook retry (jittered): Standard Webhooks' 5 s, 5 min, 30 min, 2 h, 5 h,
# 10 h, 10 h, with 15 s, 30 s, 30 s and 1 min after the first, so a receiver back from a restart
# or a deploy of a minute or two gets the latest version within about 30 s, not 5 minutes.
DEFAULT_RETRY_SCHEDULE_S = (
    5.0, 15.0, 30.0, 30.0, 60.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0
)  # fmt: skip


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
    process_batch: int = Field(default=32, ge=1, le=64)
    sweep_after_s: int = Field(default=180, ge=1)
    # With no message waiting in the broker, a document never tried and queued this long has
    # lost its message (a Redis restarted without persistence): it is re-sent at once.
    sweep_idle_after_s: int = Field(default=15, ge=1)
    sweep_interval_s: float = Field(default=10.0, ge=0.5)
    db_pool_size: int = Field(default=10, ge=1, le=100)
    allow_private_networks: bool = False
    collect_tick_s: float = Field(default=15.0, ge=0.5)
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    fetch_deadline_s: float = Field(default=30.0, ge=1.0, le=300.0)
    webhook_retry_schedule: Annotated[tuple[float, ...], NoDecode] = DEFAULT_RETRY_SCHEDULE_S
    webhook_timeout_s: float = Field(default=10.0, gt=0, le=60)
    webhook_disable_after_s: float = Field(default=5 * 86_400, gt=0)
    stream_heartbeat_s: float = Field(default=15.0, gt=0, le=300)
    stream_send_timeout_s: float = Field(default=5.0, gt=0, le=60)
    stream_queue_size: int = Field(default=16, ge=1, le=1000)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # A Celery worker's own metrics port (all its pool children, PROMETHEUS_MULTIPROC_DIR).
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    beat_heartbeat_file: Path = Path("/tmp/reactions-beat.heartbeat")
    stream_resync_s: float = Field(default=10.0, gt=0, le=300)

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _parse_schedule(cls, value: object) -> object:
        """Accept `5,300,1800` from the environment; each delay must be a positive number."""
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _positive_delays(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        """Refuse an empty schedule, or a zero or negative delay."""
        if not value or any(delay <= 0 for delay in value):
            raise ValueError("must be a comma-separated list of positive seconds")
        return value

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
