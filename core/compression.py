"""gzip for large answers (pages and JSON) when the client asks for it (``Accept-Encoding: gzip``).

The competence matrix of a 500-person department is 3.9 MB of JSON; over a
hospital network the transfer, not the server, is then what the user waits
for. Small answers are sent as they are (compressing them costs more than it
saves), and so are files (exports, uploads: sent as a stream, often already
compressed, such as XLSX).
"""
from __future__ import annotations

import gzip

from flask import request

MIN_BYTES = 1024
# Level 5: within a few per cent of level 9's size on JSON and HTML, at a
# fraction of its time (the matrix: 3.9 MB -> about 60 KB).
LEVEL = 5
COMPRESSIBLE = ("application/json", "text/html", "text/csv", "text/plain", "application/problem+json")


def wants_gzip() -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def install(app) -> None:
    @app.after_request
    def compress(response):
        if (response.direct_passthrough or response.is_streamed or response.status_code < 200
                or response.status_code in (204, 304) or "Content-Encoding" in response.headers
                or response.mimetype not in COMPRESSIBLE):
            return response
        response.vary.add("Accept-Encoding")  # a cache must not give the gzip body to a client that did not ask
        if not wants_gzip():
            return response
        body = response.get_data()
        if len(body) < MIN_BYTES:
            return response
        response.set_data(gzip.compress(body, compresslevel=LEVEL))
        response.headers["Content-Encoding"] = "gzip"
        return response
