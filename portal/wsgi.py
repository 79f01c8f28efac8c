"""The WSGI entry point for gunicorn: `gunicorn portal.wsgi:app`.

Behind a reverse proxy set PORTAL_PROXY_HOPS to the number of proxies in front, so that
rate limits and the audit log see the client's address, not the proxy's.
"""

from __future__ import annotations

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app

app = create_app()

_hops = int(os.environ.get("PORTAL_PROXY_HOPS", "0"))
if _hops:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=_hops, x_proto=_hops, x_host=_hops)
