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


def _tracked(pattern: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.packaging
@pytest.mark.parametrize("pattern", [
    "core/web/templates/*.html",
    "core/web/templates/partials/*.html",
    "core/evidence/templates/evidence/*.html",
    "core/static/**/*",
    "core/translations/*/LC_MESSAGES/messages.mo",
    "core/translations/*/LC_MESSAGES/messages.po",
    "migrations/versions/*.py",
    "migrations/alembic.ini",
    "migrations/script.py.mako",
    "migrations/env.py",
    "plugins/*/migrations/versions/*.py",
])
def test_wheel_carries_run_time_files(wheel_names, pattern):
    expected = _tracked(pattern)
    assert expected, f"nothing in the source tree matches {pattern}"
    assert expected <= wheel_names, f"missing from the wheel: {sorted(expected - wheel_names)}"


@pytest.mark.packaging
def test_wheel_has_no_byte_code_or_tests(wheel_names):
    assert not [n for n in wheel_names if n.endswith(".pyc") or n.startswith("tests/")]
