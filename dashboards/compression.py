"""Compressed scripts and style sheets (Flask-Compress): the dashboard's JavaScript (Dash's
renderer, React, the plotly.js bundle, the map library) is several MB and was sent as is.

Only static file types are compressed: JavaScript, CSS and SVG (the map image). Pages,
callback answers and reports are not: they carry the sign-out form's CSRF token next to text
the user controls (filters, URL), the shape BREACH exploits over TLS, and they are small.
"""

from __future__ import annotations

import flask
from flask_compress import Compress

COMPRESSED_MIMETYPES = ("application/javascript", "text/javascript", "text/css",
                        "image/svg+xml")


def install(server: flask.Flask) -> None:
    """Compress the responses of ``COMPRESSED_MIMETYPES`` (zstd, brotli or gzip, whichever the
    browser accepts first in Flask-Compress's order)."""
    server.config["COMPRESS_MIMETYPES"] = list(COMPRESSED_MIMETYPES)
    Compress(server)
