"""The load benchmark's client (benchmarks/load.py) against a stand-in server on loopback.

The figures come from ``python -m benchmarks.load`` on PostgreSQL (benchmarks/README.md);
this only checks, in under a second and without a database, that the client stays within
its request budget, counts errors and computes the ratios to the floor.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchmarks import load


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.path.startswith("/ok") else 500
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_client_is_bounded_counts_errors_and_gives_percentiles():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = load.Client(server.server_address[1], {})
        found = load.drive(client, ["/ok/1", "/ok/2", "/bad"], concurrency=5, seconds=5, max_requests=30)
        assert found["requests"] + found["errors"] == 30  # the request budget, not the time, ended it
        assert found["errors"] == 10 and found["error_samples"][0].startswith("500")
        assert 0 < found["p50_ms"] <= found["p95_ms"] <= found["p99_ms"]
        assert found["rps"] > 0 and found["bytes"] == len(b'{"ok": true}')
    finally:
        server.shutdown()
        server.server_close()


def test_the_cost_ratio_is_latency_alone_and_throughput_under_load():
    floor = {1: {"p50_ms": 5.0, "rps": 150}, 10: {"p50_ms": 50.0, "rps": 300}}
    levels = [{"concurrency": 1, "p50_ms": 7.5, "rps": 100, "errors": 0},
              {"concurrency": 10, "p50_ms": 80.0, "rps": 200, "errors": 0}]
    verdict = load.ratio_row("can-perform", levels, floor)
    assert verdict["ratios"] == {1: 1.5, 10: 1.5} and verdict["target"] == 1.5 and verdict["met"] is True
    levels[1]["errors"] = 1  # no errors at any concurrency is part of every target
    assert load.ratio_row("can-perform", levels, floor)["met"] is False
    assert load.ratio_row("staff list", levels, floor)["met"] is None  # a page without a target
