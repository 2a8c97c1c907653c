"""Helpers of the data in/out tests (the app is the shared one from tests/conftest.py)."""
from __future__ import annotations

import io

import pytest


@pytest.fixture
def upload(client, admin):
    """POST a file to /imports/{kind}; returns the response."""
    def post(kind, content: bytes, filename="file.csv", headers=None, **query):
        params = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in query.items())
        response = client.post(f"/api/v1/imports/{kind}" + (f"?{params}" if params else ""),
                               data={"file": (io.BytesIO(content), filename)},
                               headers=headers or admin, content_type="multipart/form-data")
        response.get_data()
        response.close()
        response.request.environ["wsgi.input"].close()  # the test client's temp file for a large body
        return response
    return post


def rows_of(report) -> list[tuple]:
    """(line, status, reasons) of every row: what the exact-report tests compare."""
    return [(r["line"], r["status"], r["reasons"]) for r in report["rows"]]
