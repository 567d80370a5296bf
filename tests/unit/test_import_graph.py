"""The package's import graph runs one way: no module imports, even inside a function, a
module that imports it back (cli -> build -> pool -> worker -> stages, never back).

Imports under `if TYPE_CHECKING:` are left out: they never run, they only name types."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import briefgen

PACKAGE = Path(briefgen.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports, anywhere in it (also lazily, in functions)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from . import x` and `from .writers import pdf` may name modules.
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # A module's own packages are initialised before it: importing them is no cycle.
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


# Edges allowed to close a cycle (imports inside functions, to be untangled): none now;
# labels and catalogs share labelsource instead of importing each other.
KNOWN_LAZY_EDGES: set[tuple[str, str]] = set()


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = {module_name(p): imports_of(p, modules) for p in paths}
    for source, target in KNOWN_LAZY_EDGES:
        graph[source].discard(target)
    # A package's __init__ runs before its modules: importing briefgen.writers.pdf imports
    # briefgen.writers (and briefgen) first, so a module's parents are edges too.
    for name, targets in graph.items():
        for target in list(targets):
            parent = target.rpartition(".")[0]
            while parent and parent != name and not name.startswith(parent + "."):
                targets.add(parent)
                parent = parent.rpartition(".")[0]
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_finder_sees_a_cycle_through_a_lazy_import():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_pipeline_runs_one_way():
    graph = import_graph()
    chain = ["briefgen.cli", "briefgen.build", "briefgen.pool", "briefgen.worker"]
    for upper, lower in itertools.pairwise(chain):
        assert lower in graph[upper], f"{upper} should import {lower}"
    stages = ["briefgen.render", "briefgen.select", "briefgen.theme", "briefgen.load", "briefgen.writers"]
    for stage in stages:
        assert not set(chain) & graph[stage], f"{stage} imports the orchestration above it"
