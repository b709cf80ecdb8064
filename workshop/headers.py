"""Security headers on every response, and the client's address when behind reverse proxies.

Pages carry notes and couples' private answers, so the browser is told to run only our own
scripts and styles, never to frame us, never to keep a page in any cache, and never to send our
URLs (some carry tokens: invitation links, calendar feeds) to another site.
"""

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from workshop.config import ConfigError

# Only our own files load; no plugins, no framing, no <base> tricks, forms post only to us.
# There is no inline script or style attribute anywhere, so no 'unsafe-inline' either.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
# A year, the minimum that HSTS preload lists accept; only ever sent by production.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# Features the app never uses, switched off so an injected frame or script cannot ask for them.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # "same-origin" sends no Referer to other sites (token URLs never leak), but keeps it on our
    # own form posts: Flask-WTF's CSRF check refuses an HTTPS post without a same-site Referer,
    # which "no-referrer" would strip.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response (error pages too), and trust the configured proxies."""
    app.after_request(add_security_headers)
    trust_proxies(app, app.config.get("PROXY_COUNT", 0))


def add_security_headers(response: Response) -> Response:
    """The headers above; HSTS in production; no-store on everything but static files."""
    response.headers.update(ALWAYS)
    if current_app.config["ENV_NAME"] == "production":
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if not is_static_file(current_app):
        # Any other page may show client data: no browser or proxy cache may keep a copy
        # (a shared computer's back button, a proxy's disk). Views' own caching is overruled.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def is_static_file(app: Flask) -> bool:
    """Whether this request is for one of our static files (public, cacheable, no client data)."""
    static_prefix = (app.static_url_path or "/static") + "/"
    return request.endpoint == "static" or request.path.startswith(static_prefix)


def trust_proxies(app: Flask, count: int) -> None:
    """Behind `count` reverse proxies, take the client's address, scheme and host from the
    X-Forwarded-* headers they add (each proxy appends one entry; we read the one our nearest
    trusted proxy saw). With 0, those headers are ignored: anyone can forge them."""
    if count < 0:
        raise ConfigError("PROXY_COUNT cannot be negative.")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
