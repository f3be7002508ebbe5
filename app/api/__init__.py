"""The HTTP edge: blueprints, the OpenAPI document, and the one place errors become statuses."""

from pathlib import Path

from flask import Flask, request, send_from_directory

from app.api import (
    admin_areas,
    admin_audit,
    admin_deliveries,
    admin_enterprises,
    admin_holidays,
    admin_reference,
    admin_users,
    auth,
    campaigns,
    checklists,
    documents,
    exports,
    findings,
    inspections,
    map,
    notifications,
    photos,
    reference,
    remembered,
    reports,
    settings,
    stats,
    supervisions,
    sync,
)
from app.api.errors import Api, error_response, handle_domain_error, handle_unexpected
from app.domain.errors import DomainError

JSON_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
DESCRIPTION = """Closeloop: safety hazards from report to sign-off (隐患闭环).

Limits on every request (each refusal is JSON, `{"error": {"code", "message", "fields"}}`): a query string of at
most 4096 bytes (414 `uri_too_long`; MAX_QUERY_BYTES), a request line of at most 8190 bytes (414), at most 100
header fields of at most 8190 bytes each (431), a body of at most 20 MB, chunked or not (413; MAX_CONTENT_LENGTH).
Sign-in attempts (`/auth/login` and `/auth/token` together) are limited per client address and per username
(429 with Retry-After; LOGIN_RATE_LIMIT, 10 per minute)."""
UPLOADS = frozenset(  # endpoints whose body is a file, not JSON
    {"photos.upload", "admin_areas.import_area_file", "admin_users.import_users_file",
     "admin_enterprises.import_enterprise_file", "checklists.import_checklist_file"}
)  # fmt: skip
ADMIN = (
    admin_areas, admin_enterprises, admin_users, admin_reference, admin_audit, admin_deliveries, admin_holidays,
)  # fmt: skip


def init_api(app: Flask) -> Api:
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": DESCRIPTION},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                    "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearer": []}, {"cookie": []}],
        },
    )
    api = Api(app)
    app.extensions["closeloop_api"] = api
    modules = (
        auth, reference, findings, exports, photos, sync, notifications, settings, supervisions, map, stats, reports,
        checklists, campaigns, inspections, documents,
    )  # fmt: skip
    for module in (*modules, *ADMIN):
        api.register_blueprint(module.blp)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(_require_json_body)
    auth.init_app(app)  # CSRF, the password-change gate, the throttled record of use
    remembered.init_app(app)  # the create and the upload let in with a remembered account (before any sign-in)
    app.after_request(_no_sniffing)
    app.add_url_rule("/api/v1/docs", "api_docs", _docs_page)
    app.add_url_rule("/api/v1/docs/<name>", "api_docs_asset", _docs_asset)
    app.add_url_rule("/api/<path:_rest>", "api_not_found", _api_not_found, methods=["GET", "POST", "PUT", "DELETE"])
    return api


def _require_json_body():
    api_body = request.method in JSON_BODY_METHODS and request.path.startswith("/api/") and request.content_length
    if api_body and not request.is_json and request.endpoint not in UPLOADS:
        return error_response(415, "unsupported_media_type", "Send the body as application/json.")
    return None


def _no_sniffing(response):
    """Every answer is what its Content-Type says: a photo is never read as a page, whatever its bytes."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _api_not_found(_rest):
    return error_response(404, "not_found", "No such API endpoint.")


def _docs_page():
    return DOCS_PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


def _docs_asset(name: str):
    """docs.js and docs.css: the page's script and style as files, so it runs under the strict CSP."""
    if name not in DOCS_ASSETS:
        return _api_not_found(name)
    return send_from_directory(DOCS_DIR, name, max_age=3600)


DOCS_DIR = Path(__file__).resolve().parent / "docs"
DOCS_ASSETS = frozenset({"docs.js", "docs.css"})
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Closeloop API v1</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/v1/docs/docs.css"></head>
<body><h1>Closeloop API v1</h1>
<p>Generated from <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>, itself generated from the
code's schemas. Errors are always <code>{"error": {"code", "message", "fields"}}</code>.</p>
<div id="ops">Loading…</div>
<script src="/api/v1/docs/docs.js" defer></script></body></html>"""
