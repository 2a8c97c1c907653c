"""A small mutation run: does the test suite catch a wrong rule?

    python -m tools.mutate plugins/big_kt/rules/*.py --tests tests/plugins/big_kt [--sample 200] [--jobs 2]

Each mutant changes one operator or constant of the file (``<`` to ``<=``,
``+`` to ``-``, ``and`` to ``or``, a number to that number plus one, ``True``
to ``False``, ``not x`` to ``x``), is written into a private copy of the tree
and the given tests run against it; a mutant the tests fail on is *killed*.
A survivor is either a gap in the tests or an equivalent mutant (one that
changes no behaviour, such as ``x <= 0`` where ``x`` is never 0 by construction):
each survivor is printed with its line so a person can tell which. The score
is killed / (killed + survived); timeouts count as killed, as they do in mutmut.

It is a plain AST mutator rather than mutmut because the rules files are
imported through the Flask app's plugin entry points, which mutmut's
trampolines do not follow; here every mutant is an ordinary source file.
"""
from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
                 ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
                 ast.Is: ast.IsNot, ast.IsNot: ast.Is}
BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Mult, ast.Mod: ast.Mult}
BOOL_SWAPS = {ast.And: ast.Or, ast.Or: ast.And}


@dataclass(frozen=True)
class Mutant:
    index: int  # position of the node in ast.walk order
    kind: str
    line: int
    description: str


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """Nodes no mutant should touch: docstrings, and decorators such as
    ``@dataclass(frozen=True)``, whose mutants change no rule (equivalent mutants)."""
    found = set()
    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", []):
            found.update(id(inner) for inner in ast.walk(decorator))
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _docstring_nodes(tree)
    found = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in COMPARE_SWAPS:
                    found.append(Mutant(index, f"compare:{position}", line,
                                        f"{type(op).__name__} -> {COMPARE_SWAPS[type(op)].__name__}"))
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            found.append(Mutant(index, "binop", line, f"{type(node.op).__name__} -> "
                                                      f"{BINOP_SWAPS[type(node.op)].__name__}"))
        elif isinstance(node, ast.BoolOp):
            found.append(Mutant(index, "boolop", line, f"{type(node.op).__name__} -> "
                                                       f"{BOOL_SWAPS[type(node.op)].__name__}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append(Mutant(index, "not", line, "not x -> x"))
        elif isinstance(node, ast.Constant) and id(node) not in skip:
            if isinstance(node.value, bool):
                found.append(Mutant(index, "const", line, f"{node.value} -> {not node.value}"))
            elif isinstance(node.value, int):
                found.append(Mutant(index, "const", line, f"{node.value} -> {node.value + 1}"))
    return found


def apply(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    node = list(ast.walk(tree))[mutant.index]
    if mutant.kind.startswith("compare:"):
        position = int(mutant.kind.split(":")[1])
        node.ops[position] = COMPARE_SWAPS[type(node.ops[position])]()
    elif mutant.kind == "binop":
        node.op = BINOP_SWAPS[type(node.op)]()
    elif mutant.kind == "boolop":
        node.op = BOOL_SWAPS[type(node.op)]()
    elif mutant.kind == "not":
        _replace(tree, node, node.operand)
    elif mutant.kind == "const":
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return


def _copy_tree(root: str) -> str:
    target = tempfile.mkdtemp(prefix="bekwaam-mutant-")
    shutil.copytree(root, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__", "instance", "artifacts", "*.sqlite"))
    return target


def run(root: str, path: str, tests: list[str], chosen: list[Mutant], jobs: int, timeout: int) -> list[tuple]:
    source = open(os.path.join(root, path), encoding="utf-8").read()
    workers = [_copy_tree(root) for _ in range(jobs)]
    free = list(workers)
    results = []

    def one(mutant: Mutant):
        tree_dir = free.pop()
        try:
            with open(os.path.join(tree_dir, path), "w", encoding="utf-8") as handle:
                handle.write(apply(source, mutant))
            try:
                done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                       "-m", "not browser", *tests], cwd=tree_dir, capture_output=True,
                                      timeout=timeout, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
                outcome = "survived" if done.returncode == 0 else "killed"
                if done.returncode in (2, 3, 4):  # pytest itself broke: an error, not a kill
                    outcome = "killed" if b"Error" in done.stdout else "error"
            except subprocess.TimeoutExpired:
                outcome = "timeout"
            return mutant, outcome
        finally:
            with open(os.path.join(tree_dir, path), "w", encoding="utf-8") as handle:
                handle.write(source)
            free.append(tree_dir)

    try:
        with ThreadPoolExecutor(jobs) as pool:
            for mutant, outcome in pool.map(one, chosen):
                results.append((mutant, outcome))
                print(f"{outcome:8} {path}:{mutant.line} {mutant.description}", flush=True)
    finally:
        for tree_dir in workers:
            shutil.rmtree(tree_dir, ignore_errors=True)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="source files to mutate")
    parser.add_argument("--tests", action="append", required=True, help="test paths to run (repeatable)")
    parser.add_argument("--sample", type=int, default=0, help="mutants per file (0 = all)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 below this score (0-100)")
    args = parser.parse_args(argv)
    root = os.getcwd()
    results = []
    for path in args.paths:
        found = mutants(open(path, encoding="utf-8").read())
        chosen = found if not args.sample or args.sample >= len(found) else sorted(
            random.Random(args.seed).sample(found, args.sample), key=lambda m: m.line)
        print(f"# {path}: {len(chosen)} of {len(found)} mutants", flush=True)
        results += run(root, path, args.tests, chosen, args.jobs, args.timeout)
    killed = sum(1 for _, outcome in results if outcome in ("killed", "timeout"))
    survived = [m for m, outcome in results if outcome == "survived"]
    errors = sum(1 for _, outcome in results if outcome == "error")
    score = 100.0 * killed / max(1, killed + len(survived))
    print(f"\nkilled {killed}, survived {len(survived)}, errors {errors}: score {score:.1f} %")
    for mutant in survived:
        print(f"  survivor line {mutant.line}: {mutant.description}")
    return 1 if score < args.min_score else 0


if __name__ == "__main__":
    raise SystemExit(main())
