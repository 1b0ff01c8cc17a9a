"""Mutation testing of the permission rules: break each predicate of app/security.py in turn and check
that the permission tests (tests/permissions) notice.

Each mutant changes one thing in one predicate (a function of app/security.py that returns bool):

- the whole predicate answers True;
- one clause is dropped: an operand of `and` (as if it were true) or of `or` (as if false), an
  argument of a query's `.where(...)` (the organisation, ended_on, runs_at, owner checks), a guard
  `if ...: return ...`, or the comparison a `return` makes;

and the two gatekeepers are switched off: `require` lets everything through, `admin_required`
lets everyone in.

The mutant is never written into app/security.py: the tests run in a child process whose import
of `app.security` is served from the mutated source. The tests run unchanged first; then each
mutant, stopping at the first failing test. Prints a table of the mutants, caught or survived,
and exits 1 if any survived (or the unchanged tests fail).

    python scripts/mutate_security.py [--list] [--only TEXT] [pytest options, e.g. --database=postgresql]
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib.abc
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT / "app" / "security.py"
TESTS = ["tests/permissions", "tests/coaching/test_permissions.py"]
# Return bool, but about the sign-in (its second factor, its hand-over lock), not about access to an
# object; the lock's rule is tested in tests/clientvoice/test_handover.py.
NOT_PREDICATES = {"_session_expired", "handover_locked", "signed_in_with_second_factor"}
GATEKEEPERS = {"require": "return None", "admin_required": "return view"}

# Mutants that cannot change any answer, with the reason; listed, not run.
EQUIVALENT = {
    ("can_manage_schedule", "schedule.team is not None"):
        "a schedule has a team or an owner (check constraint one_owner); "
        "the owner's case returns earlier, and can_guide_team(user, None) is False anyway",
}


@dataclass(frozen=True)
class Mutant:
    function: str
    change: str
    source: str  # the whole mutated module

    @property
    def key(self) -> tuple[str, str]:
        return self.function, self.change.split("`")[1] if "`" in self.change else self.change


# --- making mutants --------------------------------------------------------------------------


def _returns_bool(node: ast.FunctionDef) -> bool:
    r = node.returns
    return (isinstance(r, ast.Name) and r.id == "bool") or (isinstance(r, ast.Constant) and r.value == "bool")


def _body_start(node: ast.FunctionDef) -> int:
    """Index of the first statement after the docstring."""
    first = node.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and isinstance(first.value.value, str)
    return 1 if docstring else 0


def _clauses(func: ast.FunctionDef) -> Iterator[tuple[str, ast.AST, ast.AST | None]]:
    """(description, node, replacement) for every clause of the predicate; None removes the node."""
    for node in ast.walk(func):
        if isinstance(node, ast.BoolOp):
            neutral = isinstance(node.op, ast.And)  # dropping from `and` is True, from `or` False
            for value in node.values:
                yield f"drop `{ast.unparse(value)}`", value, ast.Constant(neutral)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "where":
            for arg in node.args:
                yield f"drop `{ast.unparse(arg)}` from the query", arg, None
        elif isinstance(node, ast.If) and len(node.body) == 1 and isinstance(node.body[0], ast.Return):
            yield f"drop the guard `if {ast.unparse(node.test)}: {ast.unparse(node.body[0])}`", node, None
        elif isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "bool":
                value = value.args[0]
            if isinstance(value, ast.Compare) and not _is_none_test(value):  # "found a row": see True
                yield f"drop `{ast.unparse(value)}`", value, ast.Constant(True)


def _is_none_test(node: ast.Compare) -> bool:
    return any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators)


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST | None) -> None:
        self.target, self.replacement = target, replacement

    def visit(self, node: ast.AST) -> ast.AST | None:
        if node is self.target:
            return self.replacement
        return super().visit(node)


def _replace(func: ast.FunctionDef, target: ast.AST, replacement: ast.AST | None) -> ast.FunctionDef:
    # Deep-copy the function with a memo that maps the target to itself, so it is still found.
    memo = {id(target): target}
    clone = copy.deepcopy(func, memo)
    _Replace(target, replacement).visit(clone)
    return clone


def _with_body(func: ast.FunctionDef, statement: str) -> ast.FunctionDef:
    clone = copy.deepcopy(func)
    clone.body = clone.body[:_body_start(clone)] + ast.parse(statement).body
    return clone


def _splice(text: str, func: ast.FunctionDef, new: ast.FunctionDef) -> str:
    """The module text with `func` (decorators included) replaced by `new`."""
    lines = text.splitlines(keepends=True)
    start = min([d.lineno for d in func.decorator_list] + [func.lineno]) - 1
    assert func.end_lineno is not None
    return "".join(lines[:start]) + ast.unparse(ast.fix_missing_locations(new)) + "\n" + "".join(
        lines[func.end_lineno:])


def mutants(text: str) -> tuple[list[Mutant], list[tuple[str, str, str]]]:
    """The mutants of the module's predicates and gatekeepers; and the equivalent ones left out."""
    tree = ast.parse(text)
    made: list[Mutant] = []
    skipped: list[tuple[str, str, str]] = []
    seen: set[str] = set()

    def add(func: ast.FunctionDef, change: str, new: ast.FunctionDef) -> None:
        code = ast.unparse(new)
        if code in seen or code == ast.unparse(func):
            return
        seen.add(code)
        mutant = Mutant(func.name, change, _splice(text, func, new))
        if mutant.key in EQUIVALENT:
            skipped.append((func.name, change, EQUIVALENT[mutant.key]))
        else:
            made.append(mutant)

    for func in tree.body:
        if not isinstance(func, ast.FunctionDef):
            continue
        if func.name in GATEKEEPERS:
            body = GATEKEEPERS[func.name]
            add(func, f"`{body}`: let everything through", _with_body(func, body))
        if not _returns_bool(func) or func.name in NOT_PREDICATES:
            continue
        add(func, "always True", _with_body(func, "return True"))
        for change, target, replacement in _clauses(func):
            add(func, change, _replace(func, target, replacement))
    return made, skipped


# --- running the tests against one ------------------------------------------------------------


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves `app.security` from the mutant's source (in the child process only)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname != "app.security":
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=str(SECURITY))

    def exec_module(self, module):  # type: ignore[no-untyped-def]
        module.__file__ = str(SECURITY)
        exec(compile(self.source, str(SECURITY), "exec"), module.__dict__)  # noqa: S102 - the mutant


def _child(mutant_file: str, pytest_args: list[str]) -> int:
    """In the child process: import the mutant as app.security, then run pytest."""
    import pytest

    sys.path.insert(0, str(ROOT))
    sys.meta_path.insert(0, _MutantFinder(Path(mutant_file).read_text(encoding="utf-8")))
    return int(pytest.main(pytest_args))


def run_tests(
    source: str, pytest_args: list[str], mutant_file: Path, stop_at_first: bool
) -> tuple[bool, str]:
    """(passed, the first failing test) with `source` as app.security (written to `mutant_file`)."""
    mutant_file.write_text(source, encoding="utf-8")
    args = ["-q", "-p", "no:cacheprovider", "--no-header", "-rf", *(["-x"] if stop_at_first else []),
            *TESTS, *pytest_args]
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", str(mutant_file), "--", *args],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)(?: - |$)", result.stdout, re.MULTILINE)
    if result.returncode not in (0, 1) and not failed:  # not a test failure: show why
        failed = [f"pytest exit {result.returncode}: {(result.stdout + result.stderr).strip()[-300:]}"]
    return result.returncode == 0, failed[0] if failed else ""


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(argv[1], argv[3:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--only", metavar="TEXT",
                        help="run only the mutants whose predicate or change has TEXT")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants run side by side (default 1)")
    args, pytest_args = parser.parse_known_args(argv)

    text = SECURITY.read_text(encoding="utf-8")
    made, skipped = mutants(text)
    if args.only:
        made = [m for m in made if args.only in f"{m.function} {m.change}"]
        skipped = [s for s in skipped if args.only in f"{s[0]} {s[1]}"]
    if args.list:
        for m in made:
            print(f"{m.function:28} {m.change}")
        for function, change, reason in skipped:
            print(f"{function:28} {change}  [equivalent: {reason}]")
        return 0

    with tempfile.TemporaryDirectory(prefix="mutate-security-") as tmp:
        start = time.monotonic()
        passed, failing = run_tests(text, pytest_args, Path(tmp) / "unchanged.py", stop_at_first=False)
        if not passed:
            print(f"The permission tests fail without any mutant ({failing}); fix them first.")
            return 1
        print(f"{TESTS} pass unchanged ({time.monotonic() - start:.0f} s). "
              f"{len(made)} mutants of app/security.py:\n", flush=True)
        width = max((len(m.function) for m in made), default=0)

        def run(n: int, mutant: Mutant) -> bool:
            passed, failing = run_tests(mutant.source, pytest_args, Path(tmp) / f"mutant{n}.py",
                                        stop_at_first=True)
            verdict = "SURVIVED" if passed else "caught  "
            caught_by = f"\n{'':13}by {failing.split('::', 1)[-1]}" if failing else ""
            print(f"{n:3} {verdict} {mutant.function:{width}}  {mutant.change}{caught_by}", flush=True)
            return passed

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            survived = sum(pool.map(run, range(1, len(made) + 1), made))
    for function, change, reason in skipped:
        print(f"  - equivalent {function}  {change}: {reason}")
    print(f"\n{len(made) - survived} of {len(made)} mutants caught, {survived} survived"
          f" ({len(skipped)} equivalent, not run); {time.monotonic() - start:.0f} s.")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
