"""The built wheel carries what the app reads from its folders at run time.

An editable install reads templates and migrations from the source tree and so
hides a wheel without them; this builds the real wheel (a few seconds) and
reads its file list. ``.ci/wheel-check`` goes further: installs and serves it.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("the packaging test builds from the git tree")
    src = tmp_path_factory.mktemp("src")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split("\n")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    (wheel,) = out.glob("bekwaam-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def _tracked_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\n")
    return {name for name in listed if name and (ROOT / name).is_file() and "__pycache__" not in name}


@pytest.mark.packaging
def test_wheel_carries_every_file_of_the_app(wheel_names):
    """Every tracked file of the core, the built-in plugins and the migrations: templates a
    plugin brings along are as easy to forget as the core's own."""
    expected = {name for name in _tracked_files() if name.startswith(("core/", "plugins/", "migrations/"))}
    assert any(name.startswith("plugins/vzi_mt/templates/") for name in expected)
    assert expected <= wheel_names, f"missing from the wheel: {sorted(expected - wheel_names)}"


@pytest.mark.packaging
def test_wheel_has_no_byte_code_or_tests(wheel_names):
    assert not [n for n in wheel_names if n.endswith(".pyc") or n.startswith("tests/")]
