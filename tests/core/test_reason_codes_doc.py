"""docs/reason-codes.md lists every reason code a can_perform answer can carry.

For each source with a ``## <source>`` heading (``core``, then each plugin),
the codes are read from the source: literal ``Reason(<source>, "<code>", ...)``
calls (a module constant such as ``SOURCE`` is resolved), and, for a plugin,
the codes of the ``Finding(...)`` calls in its rules (``rules.py`` or the ``rules`` package) (its services turn
findings into reasons). A code used there but missing from the table fails.
"""
from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reason-codes.md"
REQUIRED_SOURCES = ("core", "leidraad")


def documented() -> dict[str, dict[str, str]]:
    """source heading -> {code: source column} from the tables under it."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^##\s+(\S+)\s*$", line)
        if heading:
            current = heading.group(1).strip("`")
            tables[current] = {}
            continue
        if current is None or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("code", "") or set(cells[0]) <= {"-", ":"}:
            continue
        tables[current][cells[0].strip("`")] = cells[1].strip("`")
    return tables


def _constants(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and isinstance(node.value, ast.Tuple):
            for target, value in zip(node.targets[0].elts, node.value.elts):
                if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found[target.id] = value.value
    return found


def _values(node, constants: dict[str, str], rules_constants: dict[str, str]) -> list[str]:
    """The string values an argument can have, as far as they are visible in the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "rules":
        return [rules_constants[node.attr]] if node.attr in rules_constants else []
    if isinstance(node, ast.IfExp):
        return _values(node.body, constants, rules_constants) + _values(node.orelse, constants, rules_constants)
    return []


def _calls(tree: ast.Module, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called == name:
                yield node


def _argument(call: ast.Call, index: int, keyword: str):
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[index] if len(call.args) > index else None


def codes_in_source(source: str) -> set[str]:
    directory = ROOT / ("core" if source == "core" else f"plugins/{source}")
    # The rules: one module, or a package of modules by norm.
    rules_files = [directory / "rules.py"] if (directory / "rules.py").exists() else sorted(
        (directory / "rules").glob("*.py"))
    rules_constants = {}
    for rules_file in rules_files:
        rules_constants.update(_constants(ast.parse(rules_file.read_text(encoding="utf-8"))))
    codes: set[str] = set()
    for path in sorted(directory.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        if path in rules_files:  # a module of the rules package names its package's constants
            constants = {**rules_constants, **constants}
        for call in _calls(tree, "Reason"):
            source_arg, code_arg = _argument(call, 0, "source"), _argument(call, 1, "code")
            if source_arg is not None and source in _values(source_arg, constants, rules_constants):
                codes.update(_values(code_arg, constants, rules_constants) if code_arg is not None else [])
        if path in rules_files:
            for call in _calls(tree, "Finding"):
                code_arg = _argument(call, 1, "code")
                if code_arg is not None:
                    codes.update(_values(code_arg, constants, rules_constants))
    return codes


def test_the_doc_has_a_table_for_core_and_leidraad():
    tables = documented()
    for source in REQUIRED_SOURCES:
        assert tables.get(source), f"docs/reason-codes.md needs a '## {source}' table"


@pytest.mark.parametrize("source", sorted(documented()))
def test_every_code_used_in_the_source_is_documented(source):
    used = codes_in_source(source)
    if source in REQUIRED_SOURCES:
        assert used, f"found no reason codes in the source of {source}: the scan is broken"
    missing = used - set(documented()[source])
    assert not missing, f"docs/reason-codes.md '## {source}' lacks: {', '.join(sorted(missing))}"


@pytest.mark.parametrize("source", sorted(documented()))
def test_each_row_names_its_section_as_source(source):
    wrong = {code: column for code, column in documented()[source].items() if column != source}
    assert not wrong, f"rows under '## {source}' with another source: {wrong}"


@pytest.mark.parametrize("source", sorted(documented()))
def test_every_documented_code_has_a_test(source):
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
                      if p.name != pathlib.Path(__file__).name)
    untested = [code for code in documented()[source] if f'"{code}"' not in tests]
    assert not untested, f"no test names these {source} reason codes: {', '.join(untested)}"


def test_the_scan_finds_the_known_codes():
    # Guards the scanner itself: these are the codes of the Leidraad competence rule (Leidraad Medische Technologie 2026, bevoegd en bekwaam) and the core rule.
    assert {"authorised", "not_authorised", "staff_inactive"} <= codes_in_source("core")
    assert {"not_screened", "competent", "method_insufficient", "competence_expired", "competence_missing",
            "reinstruction_due", "released", "not_released", "device_type_required"} <= codes_in_source("leidraad")
