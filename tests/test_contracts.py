"""The architecture and lint contracts, so that ``pytest`` (and CI) fails on a violation.

- ``.importlinter`` (import-linter): the core imports no plugin, no plugin imports
  another, no import cycle inside a core package.
- Between the core's modules, no import cycle at all (``grimp``, import-linter's own
  import graph): an import hidden inside a function still counts.
- ``ruff`` with the rule set of ``pyproject.toml`` (E9, F).
"""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess:
    # This checkout's packages first, whatever the installed (editable) copy points at.
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept():
    executable = shutil.which("lint-imports")
    assert executable, "lint-imports is not on PATH (pip install '.[test]')"
    result = _run(executable, "--config", ".importlinter", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycle_between_core_modules():
    import grimp  # import-linter's import graph (the [test] extra)

    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph("core", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    assert pathlib.Path(sys.modules["core"].__file__).resolve().parent == ROOT / "core"
    # The CPD page still imports the staff page's helpers and back; it leaves for the vzi_mt
    # plugin with the web pages (removed when the web pages move into the plugins).
    cycles = set()
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.add(" -> ".join((module, *back)))
    assert not cycles, "import cycles in the core:\n" + "\n".join(sorted(cycles))


def test_ruff_finds_nothing():
    result = _run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_find_an_unused_import_and_an_undefined_name(tmp_path):
    """The configured rule set is live: a file with both findings fails the check."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef f():\n    return undefined_name\n", encoding="utf-8")
    result = _run(sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                  str(bad))
    assert result.returncode == 1
    assert "F401" in result.stdout and "F821" in result.stdout


def test_every_hook_function_of_a_plugin_is_marked_as_an_implementation():
    """A ``bekwaam_*`` function without ``@hookimpl`` is silently never called (pluggy only
    registers marked functions), so a plugin would quietly lose an import kind or a rule."""
    import ast

    unmarked = []
    for path in sorted([*ROOT.glob("plugins/*/hooks.py"), *ROOT.glob("tests/*/plugin.py"),
                        *ROOT.glob("tests/sterilisation/*.py"), ROOT / "core/alerts/core_events.py"]):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("bekwaam_"):
                names = {getattr(getattr(d, "func", d), "id", getattr(getattr(d, "func", d), "attr", None))
                         for d in node.decorator_list}  # @hookimpl and @hookimpl(tryfirst=True)
                if "hookimpl" not in names:
                    unmarked.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not unmarked, "hook functions without @hookimpl:\n" + "\n".join(unmarked)


# The repository speaks for itself: the product specification and the issue tracker are not
# in it, so a rule is cited by its source's own name (e.g. "Leidraad Medische Technologie 2026,
# fase 5", "VZI certificatienormen (juni 2025)", "Wet BIG art. 3") or by a repo document.
SPEC_OR_ISSUE_CITATION = re.compile(r"SPEC \d|\(SPEC|issue \d")


def _files_citing_spec_or_issue(root: pathlib.Path) -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=root, capture_output=True, text=True, check=True).stdout.splitlines()
    found = []
    for name in listed:
        if not name.endswith((".py", ".md", ".html")) or name == "tests/test_contracts.py":
            continue
        if not (root / name).is_file():
            continue
        for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1):
            if SPEC_OR_ISSUE_CITATION.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_file_cites_the_spec_or_an_issue_number():
    found = _files_citing_spec_or_issue(ROOT)
    assert not found, "cite the source by its own name, not SPEC or an issue number:\n" + "\n".join(found)


def test_the_citation_scan_finds_spec_and_issue_references(tmp_path):
    """The scan is live: a tracked file with each form is reported, another file type is not."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text('"""x (SPEC 5.4)."""\n# SPEC 2: y\n', encoding="utf-8")
    (tmp_path / "b.md").write_text("fine\nas in issue 9\n", encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>(SPEC)</p>\n", encoding="utf-8")
    (tmp_path / "e.txt").write_text("SPEC 1\n", encoding="utf-8")
    found = _files_citing_spec_or_issue(tmp_path)
    assert [f.split(": ")[0] for f in found] == ["a.py:1", "a.py:2", "b.md:2", "c.html:1"]
