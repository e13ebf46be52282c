"""The web server: a thin shell over the store and the renderers.

`create_app(ServeSettings(...))` is the ASGI app: the page at /, the HTTP API under /api (described at
/openapi.json), /healthz and /metrics; `server.make_server` / `server.ServerThread` run it with uvicorn.
It only reads: the timeline JSON the daemon (or `timeline build`) writes, watched and reloaded when
replaced, and the store's feeds.
"""

from timeline.web.app import ServeSettings, create_app

__all__ = ["ServeSettings", "create_app"]
