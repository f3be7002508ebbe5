"""What every answer carries at the edge, whatever produced it: security headers, caching of private data, the
limit on query strings, and which proxy's X-Forwarded-For is believed.

- The PWA and the API docs page run under a strict Content-Security-Policy: scripts and styles only from our
  own origin (no inline script), connections only to it, images from it and from blob: (photos the phone has
  not sent yet) and from a direct XYZ tile source's origins (MAP_TILES), never inside a frame. Other answers
  under /api/ (JSON, photos) get `default-src 'none'`: they are data, and a browser tricked into rendering one
  runs nothing.
- `Cache-Control: no-store` on the API's JSON: it is private and may not be kept by any cache, the browser's
  included. Photos set their own (`private, max-age`, `Vary: Authorization, Cookie`); the OpenAPI document is
  public.
- HSTS only when the cookies are marked Secure, i.e. when the site is served over HTTPS.
"""

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from app.api.errors import error_response
from app.maptiles import direct_origins

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
    "font-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000"
PUBLIC_API = frozenset({"api-docs.openapi_json"})


def init_edge(app: Flask) -> None:
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.before_request(_refuse_long_query)
    app.after_request(_edge_headers)


def page_csp(style_hashes: tuple[str, ...] = ()) -> str:
    """The page policy, allowing the inline <style> blocks of one static page by their hashes (never script),
    and images from the map's tile origins when the browser fetches an XYZ source itself (app.maptiles)."""
    policy = PAGE_CSP
    tiles = current_app.extensions.get("map_tiles")
    if tiles is not None and (origins := direct_origins(tiles)):
        policy = policy.replace("img-src 'self' blob:", "img-src 'self' blob: " + " ".join(origins), 1)
    if not style_hashes:
        return policy
    return policy.replace("style-src 'self'", "style-src 'self' " + " ".join(style_hashes), 1)


def _refuse_long_query():
    """A query string longer than MAX_QUERY_BYTES is 414 in JSON: below the server's own request-line limit
    (gunicorn.conf.py), so that the app, not the server, answers every query it could still read."""
    limit = current_app.config["MAX_QUERY_BYTES"]
    if len(request.query_string) > limit:
        return error_response(414, "uri_too_long", f"The query string is longer than {limit} bytes.")
    return None


def _edge_headers(response):
    headers = response.headers
    api = request.path.startswith("/api/")
    html = response.mimetype == "text/html"
    headers.setdefault("Content-Security-Policy", DATA_CSP if api and not html else page_csp())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if api and response.mimetype == "application/json" and request.endpoint not in PUBLIC_API:
        headers["Cache-Control"] = "no-store"
    return response
