"""The HTTP edge: blueprints, the OpenAPI document, and the one place errors become statuses."""

from flask import Flask, request

from app.api import (
    admin_areas,
    admin_audit,
    admin_enterprises,
    admin_reference,
    admin_users,
    auth,
    findings,
    photos,
    reference,
    sync,
)
from app.api.errors import Api, error_response, handle_domain_error, handle_unexpected
from app.domain.errors import DomainError

JSON_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
UPLOADS = frozenset(  # endpoints whose body is a file, not JSON
    {"photos.upload", "admin_areas.import_area_file", "admin_users.import_users_file",
     "admin_enterprises.import_enterprise_file"}
)  # fmt: skip
ADMIN = (admin_areas, admin_enterprises, admin_users, admin_reference, admin_audit)


def init_api(app: Flask) -> Api:
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": "Closeloop: safety hazards from report to sign-off (隐患闭环)."},
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
    for module in (auth, reference, findings, photos, sync, *ADMIN):
        api.register_blueprint(module.blp)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(_require_json_body)
    auth.init_app(app)  # CSRF, the password-change gate, the throttled record of use
    app.after_request(_no_sniffing)
    app.add_url_rule("/api/v1/docs", "api_docs", _docs_page)
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
    from flask import render_template_string

    return render_template_string(DOCS_PAGE)


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Closeloop API v1</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h2{margin-top:2rem;border-bottom:1px solid #ddd}code{background:#f3f3f3;padding:0 .3em}
.op{margin:.6rem 0}.m{display:inline-block;width:4.5rem;font-weight:700}.d{color:#555}</style></head>
<body><h1>Closeloop API v1</h1>
<p>Generated from <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>, itself generated from the
code's schemas. Errors are always <code>{"error": {"code", "message", "fields"}}</code>.</p>
<div id="ops">Loading…</div>
<script>
fetch('/api/v1/openapi.json').then(r => r.json()).then(spec => {
  const out = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'parameters') continue;
      out.push(`<div class="op"><span class="m">${method.toUpperCase()}</span><code>${path}</code>
        <div class="d">${(op.summary || '')} ${(op.description || '')}</div></div>`);
    }
  }
  document.getElementById('ops').innerHTML = out.join('');
});
</script></body></html>"""
