"""Configuration from the environment, with a safe embedded default (SQLite in the instance folder)."""

import os
import secrets
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def load_config(instance_path: str) -> dict:
    """Everything an operator sets comes from environment variables; nothing needs a code change."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'closeloop.db'}"
    if database_url.startswith("postgres://"):  # the scheme Heroku-style providers hand out
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if not database_url.startswith("sqlite") else {},
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
        "MAX_PAGE_SIZE": 200,
        "API_TITLE": "Closeloop API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "STORAGE_URL": os.environ.get("STORAGE_URL") or f"file://{Path(instance_path) / 'photos'}",
        "MAX_PHOTO_PIXELS": _int("MAX_PHOTO_PIXELS", 50_000_000),
        "SIGNED_URL_SECONDS": _int("SIGNED_URL_SECONDS", 300),
        "PWA_DIST": os.environ.get("PWA_DIST", str(Path(__file__).resolve().parent.parent / "pwa" / "dist")),
    }


def _instance_secret(instance_path: str) -> str:
    """One random key per installation, kept in the instance folder, so `make run` needs no setup."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
