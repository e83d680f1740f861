"""All configuration, from environment variables (and an optional .env file), in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # development: the embedded default; production: a team server (refuses unsafe defaults);
    # test: our own test suite.
    env: Literal["development", "production", "test"] = Field("development", alias="TINYFORGE_ENV")
    data_dir: Path = Field(Path("data"), alias="DATA_DIR")
    # Empty means SQLite under DATA_DIR.
    database_url: str = Field("", alias="DATABASE_URL")
    # Empty means the serverless filesystem broker under DATA_DIR (see README: why).
    celery_broker_url: str = Field("", alias="CELERY_BROKER_URL")
    # Used for live events (pub/sub) and login throttling; empty: derived from a redis broker
    # URL, otherwise events go through the database.
    redis_url: str = Field("", alias="REDIS_URL")
    secret_key: str = Field(DEV_SECRET_KEY, alias="SECRET_KEY")
    # Names this studio's task queue and event channels, so several studios (or test runs) can
    # share one Redis.
    instance_name: str = Field("tinyforge", alias="INSTANCE_NAME", pattern=r"^[A-Za-z0-9_.-]{1,64}$")

    session_days: int = Field(14, alias="SESSION_DAYS")
    cookie_secure: bool = Field(False, alias="COOKIE_SECURE")
    login_max_failures: int = Field(5, alias="LOGIN_MAX_FAILURES")
    login_lockout_seconds: int = Field(300, alias="LOGIN_LOCKOUT_SECONDS")
    # Who may create an account: anyone (open), holders of an invitation link (invite), nobody
    # (closed; `tinyforge users create` still works). The first account can always be created.
    # Unset: invite on a team server (TINYFORGE_ENV=production), open otherwise.
    signup: Literal["open", "invite", "closed"] | None = Field(None, alias="SIGNUP")
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated
    # addresses or networks (e.g. "127.0.0.1,10.0.0.0/8"). Empty: nobody's.
    trusted_proxies: str = Field("", alias="TRUSTED_PROXIES")

    max_file_bytes: int = Field(100 * 1024 * 1024, alias="MAX_FILE_BYTES")
    max_files_per_request: int = Field(1000, alias="MAX_FILES_PER_REQUEST")
    # Device sockets of one API process still waiting for their hello (unauthenticated until then).
    device_max_connecting: int = Field(256, alias="DEVICE_MAX_CONNECTING", ge=1)
    # All files of one upload request together (what one request may spool to disk).
    max_request_bytes: int = Field(512 * 1024 * 1024, alias="MAX_REQUEST_BYTES")
    # Uploads over 1 MB parsed at once per API process (each costs up to ~3x its size in memory);
    # more wait up to INGEST_PARSE_WAIT seconds for a turn, then get 503 with Retry-After.
    ingest_parallel_parses: int = Field(2, alias="INGEST_PARALLEL_PARSES", ge=1)
    ingest_parse_wait_s: float = Field(10.0, alias="INGEST_PARSE_WAIT", ge=0)
    # PostgreSQL only: acknowledge uploads before their WAL record reaches the disk. Much faster on
    # slow disks; a database crash may lose the last fraction of a second of acknowledged uploads
    # (never half a sample). Off by default.
    ingest_async_commit: bool = Field(False, alias="INGEST_ASYNC_COMMIT")

    # A running job whose heartbeat is older than this is considered lost with its worker.
    job_heartbeat_timeout_s: float = Field(60.0, alias="JOB_HEARTBEAT_TIMEOUT")
    job_max_attempts: int = Field(2, alias="JOB_MAX_ATTEMPTS")
    worker_seen_timeout_s: float = Field(30.0, alias="WORKER_SEEN_TIMEOUT")
    worker_concurrency: int = Field(1, alias="WORKER_CONCURRENCY")
    # a jobs-queue worker loads TensorFlow in each pool process as it starts (workers/celery_app.py)
    worker_preload_tf: bool = Field(True, alias="WORKER_PRELOAD_TF")

    public_url: str = Field("", alias="PUBLIC_URL")
    # The built UI; empty: frontend/dist next to the installed package, whatever the current folder.
    ui_dir: Path | None = Field(None, validation_alias=AliasChoices("UI_DIR", "FRONTEND_DIST"))

    @field_validator("ui_dir", mode="before")
    @classmethod
    def _empty_means_default(cls, value):
        return value or None

    # Edge Impulse compatibility mode (`--ei-compat`): also listen on the ports Edge Impulse's CLI
    # uses when pointed at a server with EI_HOST (Studio API, ingestion, remote management).
    ei_compat: bool = Field(False, alias="EI_COMPAT")
    ei_compat_studio_port: int = Field(4800, alias="EI_COMPAT_STUDIO_PORT", ge=1, le=65535)
    ei_compat_ingestion_port: int = Field(4810, alias="EI_COMPAT_INGESTION_PORT", ge=1, le=65535)
    ei_compat_remote_management_port: int = Field(4802, alias="EI_COMPAT_REMOTE_MANAGEMENT_PORT", ge=1, le=65535)

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.env == "production" and (self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32):
            raise ValueError(
                "SECRET_KEY must be set to a random string of at least 32 characters when "
                "TINYFORGE_ENV=production (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return self

    @property
    def signup_mode(self) -> str:
        return self.signup or ("invite" if self.env == "production" else "open")

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tinyforge.sqlite').resolve()}"

    @property
    def resolved_broker_url(self) -> str:
        return self.celery_broker_url or "filesystem://"

    @property
    def uses_filesystem_broker(self) -> bool:
        return self.resolved_broker_url.startswith("filesystem")

    @property
    def broker_folder(self) -> Path:
        return (self.data_dir / "broker").resolve()

    @property
    def resolved_redis_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        if self.resolved_broker_url.startswith(("redis://", "rediss://")):
            return self.resolved_broker_url
        return ""

    @property
    def artifacts_dir(self) -> Path:
        return (self.data_dir / "artifacts").resolve()


@lru_cache
def get_settings() -> Settings:
    return Settings()
