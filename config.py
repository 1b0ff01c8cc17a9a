"""Application settings: one class per environment, every value read from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("WERKZAAM_INSTANCE", BASE_DIR / "instance"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _dev_secret_key() -> str:
    """A development key generated once and kept in instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    DATABASE_URL: str = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'werkzaam.db'}"
    )
    BASE_URL: str = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # Sessions: idle and absolute timeouts; the CSRF token lives as long as the session can.
    SESSION_IDLE_MINUTES: int = _int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS: int = _int("SESSION_ABSOLUTE_HOURS", 12)
    SESSION_COOKIE_NAME = "werkzaam_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 0

    # Sign-in throttling: failures within the window before each further attempt must wait.
    THROTTLE_WINDOW_MINUTES: int = _int("THROTTLE_WINDOW_MINUTES", 15)
    THROTTLE_FREE_FAILURES: int = _int("THROTTLE_FREE_FAILURES", 5)
    THROTTLE_FREE_FAILURES_PER_ADDRESS: int = _int("THROTTLE_FREE_FAILURES_PER_ADDRESS", 20)
    RESET_REQUESTS_PER_HOUR: int = _int("RESET_REQUESTS_PER_HOUR", 3)

    # Argon2id at 12 MiB, 3 passes, 1 lane: one of the settings OWASP's password-storage guidance
    # lists as equally strong (19 MiB with 2 passes is another). It trades memory for one more
    # pass, so a sign-in keeps a worker under its 100 MiB (bench/bench_pages.py measures the peak).
    ARGON2_TIME_COST: int = _int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_KIB: int = _int("ARGON2_MEMORY_KIB", 12288)
    ARGON2_PARALLELISM: int = _int("ARGON2_PARALLELISM", 1)

    # The largest request body accepted (bytes); a larger one gets the "too much sent" page (413).
    MAX_CONTENT_LENGTH: int = _int("MAX_CONTENT_LENGTH", 1024 * 1024)

    # Client voice: a one-time link works this many days; the public link pages answer this many
    # requests per address per hour; a hand-over's form stays open this many minutes.
    CLIENT_LINK_DAYS: int = _int("CLIENT_LINK_DAYS", 7)
    CLIENT_LINK_REQUESTS_PER_HOUR: int = _int("CLIENT_LINK_REQUESTS_PER_HOUR", 30)
    HANDOVER_MINUTES: int = _int("HANDOVER_MINUTES", 60)

    INVITATION_DAYS: int = _int("INVITATION_DAYS", 7)
    RESET_MINUTES: int = _int("RESET_MINUTES", 60)

    # E-mail: "smtp" sends through the server below, "file" writes .eml files to instance/mail/.
    MAIL_BACKEND: str = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER: str = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT: int = _int("MAIL_PORT", 25)
    MAIL_USERNAME: str | None = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD: str | None = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS: bool = _bool("MAIL_USE_TLS", False)
    MAIL_SENDER: str = os.environ.get("MAIL_SENDER", "Werkzaam <noreply@werkzaam.local>")
    MAIL_DIR: str = os.environ.get("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_MAX_ATTEMPTS: int = _int("MAIL_MAX_ATTEMPTS", 10)

    # How old a dashboard's figures may be in one worker's cache (app/dashboards/cache.py).
    DASHBOARD_CACHE_SECONDS: int = _int("DASHBOARD_CACHE_SECONDS", 300)

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SCHEDULER_LOCK_FILE: str = os.environ.get(
        "SCHEDULER_LOCK_FILE", str(INSTANCE_DIR / "scheduler.lock")
    )
    PREFERRED_URL_SCHEME: str = os.environ.get("PREFERRED_URL_SCHEME", "http")
    TESTING = False
    DEBUG = False

    @property
    def WTF_CSRF_TIME_LIMIT(self) -> int:  # noqa: N802 - Flask reads config by this name
        return self.SESSION_ABSOLUTE_HOURS * 3600


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    DATABASE_URL = os.environ.get("TEST_SQLITE_URL", "sqlite://")
    MAIL_BACKEND = "smtp"
    BASE_URL = "http://localhost"
    # Cheap hashing keeps the suite fast; the rehash-on-login test changes these on purpose.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 1024
    WTF_CSRF_ENABLED = True


class ProductionConfig(Config):
    # Cookies with the __Host- prefix: a browser keeps them only when Secure, for Path=/ and without
    # a Domain, so no other (sub)domain and no plain-http page can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-remember_token"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"Production needs these environment variables: {', '.join(missing)}")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> Config:
    """The settings object for WERKZAAM_ENV (development by default)."""
    return CONFIGS[name or os.environ.get("WERKZAAM_ENV", "development")]()
