"""The WSGI entry point for gunicorn: `gunicorn portal.wsgi:app`.

Behind a reverse proxy set PORTAL_PROXY_HOPS to the number of proxies in front, so that
rate limits and the audit log see the client's address, not the proxy's.
"""

from __future__ import annotations

import gc
import os

from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app

app = create_app()
# What the app built at start-up lives as long as the worker: keep it out of the garbage
# collector's full passes, which otherwise stall a request now and then (p99 spikes).
gc.freeze()

_hops = int(os.environ.get("PORTAL_PROXY_HOPS", "0"))
if _hops:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=_hops, x_proto=_hops, x_host=_hops)
