"""Configuration from the environment, with a safe embedded default (SQLite in the instance folder)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def load_config(instance_path: str) -> dict:
    """Everything an operator sets comes from environment variables; nothing needs a code change."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'closeloop.db'}"
    if database_url.startswith("postgres://"):  # the scheme Heroku-style providers hand out
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL")
    secure = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    session_days = _float("SESSION_MAX_DAYS", 30)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if not database_url.startswith("sqlite") else {},
        # Redis when several hosts share the counters; RATELIMIT_STORAGE_URI=sqlite:///file (app.throttle) when
        # several workers of one host do (gunicorn.conf.py sets it); memory:// for one process.
        "RATELIMIT_STORAGE_URI": redis_url or os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_IDLE_HOURS": _float("SESSION_IDLE_HOURS", 12),
        "SESSION_MAX_DAYS": session_days,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=session_days),  # a remembered cookie's Expires
        "SESSION_REFRESH_EACH_REQUEST": False,  # the server-side row, not the cookie, keeps the time
        "TOKEN_DAYS": _float("TOKEN_DAYS", 90),
        # Flask-Login's remember cookie is never set (the server-side session remembers); these cover the
        # deletion of one left from before.
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PROXY_HOPS": _int("PROXY_HOPS", 0),  # reverse proxies whose X-Forwarded-For/-Proto are trusted
        "MAX_QUERY_BYTES": _int("MAX_QUERY_BYTES", 4096),  # longer query strings are 414
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
        "MAX_PAGE_SIZE": 200,
        "API_TITLE": "Closeloop API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "STORAGE_URL": os.environ.get("STORAGE_URL") or f"file://{Path(instance_path) / 'photos'}",
        "MAX_PHOTO_PIXELS": _int("MAX_PHOTO_PIXELS", 50_000_000),
        "MAX_DECODE_MB": _int("MAX_DECODE_MB", 256),  # pixel memory one photo may take while it is decoded
        "SIGNED_URL_SECONDS": _int("SIGNED_URL_SECONDS", 300),
        # Channels besides in-app (app/notify): email when SMTP_URL is set, the group robot when WEBHOOK_URL is.
        "SMTP_URL": os.environ.get("SMTP_URL", ""),  # smtp://user:pass@host:587?starttls=1, smtps://host:465
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        "WEBHOOK_URL": os.environ.get("WEBHOOK_URL", ""),
        "WEBHOOK_KIND": os.environ.get("WEBHOOK_KIND", ""),  # wecom | dingtalk; guessed from the host if unset
        "WEBHOOK_SECRET": os.environ.get("WEBHOOK_SECRET", ""),  # DingTalk 加签
        "APP_BASE_URL": os.environ.get("APP_BASE_URL", ""),  # links to a finding in messages
        # Issue 12's table, per deployment (app/jobs/deadline_config.py; empty: the defaults of the table)
        **{name: os.environ.get(name, "") for name in DEADLINE_VARIABLES},
        "DELIVERY_MAX_ATTEMPTS": _int("DELIVERY_MAX_ATTEMPTS", 6),
        "DELIVERY_BACKOFF_MINUTES": os.environ.get("DELIVERY_BACKOFF_MINUTES", "1,5,30,120,360"),
        "DELIVERY_LEASE_SECONDS": _int("DELIVERY_LEASE_SECONDS", 300),  # longer than a batch takes to send
        # The map's base layers (app/maptiles.py): 天地图 through this server's proxy, or any XYZ template
        "MAP_TILES": os.environ.get("MAP_TILES", "tianditu"),  # or https://{s}.example.com/{z}/{x}/{y}.png
        "MAP_SUBDOMAINS": os.environ.get("MAP_SUBDOMAINS", "abc"),  # what {s} takes in an XYZ template
        "MAP_TILES_CRS": os.environ.get("MAP_TILES_CRS", "wgs84"),  # gcj02: markers shifted for display only
        "MAP_ATTRIBUTION": os.environ.get("MAP_ATTRIBUTION", ""),  # the source named on the map (天地图 by default)
        "MAP_REVIEW_NO": os.environ.get("MAP_REVIEW_NO", ""),  # 审图号 text, e.g. 审图号：GS(2024)0568号
        "MAP_TILE_TIMEOUT": _float("MAP_TILE_TIMEOUT", 3.0),  # seconds the proxy waits for 天地图
        "TIANDITU_KEY": os.environ.get("TIANDITU_KEY", ""),  # a 服务端 key; never sent to a browser
        "TIANDITU_URL": os.environ.get("TIANDITU_URL", ""),  # the upstream template; empty: t{s}.tianditu.gov.cn
        "PWA_DIST": os.environ.get("PWA_DIST", str(Path(__file__).resolve().parent.parent / "pwa" / "dist")),
    }


DEADLINE_VARIABLES = (
    "DEADLINE_REMIND_DAYS", "DEADLINE_NOTIFY_AT", "DEADLINE_OVERDUE_AFTER", "DEADLINE_STREET_AFTER",
    "DEADLINE_DISTRICT_AFTER", "DEADLINE_CITY_AFTER", "DEADLINE_ESCALATE_EVERY", "DEADLINE_TRIAGE_WORKDAYS",
)  # fmt: skip


def _instance_secret(instance_path: str) -> str:
    """One random key per installation, kept in the instance folder, so `make run` needs no setup."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
