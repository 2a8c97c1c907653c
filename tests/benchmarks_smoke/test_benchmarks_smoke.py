"""The generator and the benchmark script run end to end on a tiny hospital (SQLite, no HTTP).

The real figures come from ``python -m benchmarks.run`` (benchmarks/README.md), never from the test suite.
"""
import json
import os

import pytest


@pytest.mark.skipif(os.environ.get("BEKWAAM_TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="the smoke run builds its own SQLite files")
def test_benchmarks_run_on_a_tiny_hospital(tmp_path, monkeypatch):
    from benchmarks import run
    from core import demo_large

    for key, value in list(demo_large.SIZES.items()):
        monkeypatch.setitem(demo_large.SIZES, key, value)  # restored after the test
    result = run.main(["--db", "sqlite", "--small", "--runs", "1", "--calls", "10",
                       "--only", "alerts,matrix,can_perform,vzi,dashboard,import",
                       "--reuse", str(tmp_path / "tiny.sqlite"), "--out", str(tmp_path)])
    names = [f["name"] for f in result["figures"]]
    assert names[0].startswith("generator")
    counts = result["figures"][0]["counts"]
    assert counts["vzi_cpd"] > 0 and counts["big_registration"] == 100
    alert = next(f for f in result["figures"] if f["name"].startswith("alert run, cold"))
    assert alert["created"] > 0 and alert["lower_bound_ms"] > 0
    matrix = next(f for f in result["figures"] if f["name"].startswith("competence matrix"))
    assert matrix["size"].endswith("× 40")  # the Intensive Care's own device types
    assert any(name.startswith("import 15,000 staff") for name in names)
    dashboard = [f for f in result["figures"] if f["name"].startswith("dashboard expiry buckets")]
    assert len(dashboard) == 2 and sum(dashboard[0]["totals"].values()) > 0
    with open(tmp_path / "results-sqlite-small.json") as stream:
        assert json.load(stream)["db"] == "sqlite"
