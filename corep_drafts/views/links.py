"""Absolute links (the Atom feed, permalinks): never from whatever `Host` a request claims.

In order: `COREP_PUBLIC_URL` when set (the address of the site's root); else the request's host
when Flask checked it against `TRUSTED_HOSTS` (from `COREP_TRUSTED_HOSTS`; a request naming
another host answers 400 before any view runs) or when it is this machine (development); else
the path alone, which a reader resolves against the address it fetched.
"""

from __future__ import annotations

from flask import current_app, request, url_for

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def _host_is_trusted() -> bool:
    if current_app.config.get("TRUSTED_HOSTS"):
        return True  # Flask has refused any other host already
    hostname = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return hostname.lower() in LOOPBACK_HOSTS


def absolute_url(endpoint: str, **values) -> str:
    path = url_for(endpoint, **values)
    public_url = current_app.config.get("COREP_PUBLIC_URL")
    if public_url:
        return public_url.rstrip("/") + path.removeprefix(request.script_root)
    if _host_is_trusted():
        return url_for(endpoint, _external=True, **values)
    return path
