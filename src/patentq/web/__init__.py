"""The web dashboard and its read-only JSON API over one lake (``patentq serve``; docs/dashboard.md).

Standard library only (``wsgiref`` + ``http``); the page is one HTML file, one small script and
one stylesheet served from this package, so it works offline.
"""

from .app import App, make_server

__all__ = ["App", "make_server"]
