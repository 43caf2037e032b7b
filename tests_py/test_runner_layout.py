"""The runner's layout (docs/developing.md, Layout): no import circle among its modules, counting
every import statement (under TYPE_CHECKING and inside functions too); project.py at the bottom,
importing none of the others; cli.py short enough to only parse and dispatch."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import PROJECT_DIR

RUNNER = PROJECT_DIR / "scripts" / "exporter"
PACKAGE = RUNNER.name
CLI_MOST_LINES = 200


def imported(path: Path) -> set[str]:
    """The runner's modules the file `path` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
            found.update(parts[1] for parts in names if parts[0] == PACKAGE and len(parts) > 1)
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.level == 0 else [PACKAGE, node.module or ""]
            if parts[0] != PACKAGE:
                continue
            if len(parts) > 1 and parts[1]:
                found.add(parts[1])
            else:  # from exporter import a, b
                found.update(alias.name for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in RUNNER.glob("*.py")}
    return {name: imported(path) & modules.keys() for name, path in modules.items()}


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of `graph` (module -> the modules it imports), as a path that ends where
    it starts; None when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        path.append(module)
        for other in sorted(graph.get(module, ())):
            if other in path:
                return [*path[path.index(other) :], other]
            if other not in done and (found := visit(other)) is not None:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (found := visit(module)) is not None:
            return found
    return None


def test_the_circle_finder_finds_circles() -> None:
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert circle({"a": {"a"}}) == ["a", "a"]
    assert circle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_runner_has_no_import_circle() -> None:
    graph = import_graph()
    assert {"cli", "pipeline", "project", "engines", "writer"} <= graph.keys()
    found = circle(graph)
    assert found is None, "import circle: " + " -> ".join(found or [])


def test_project_imports_no_other_module_of_the_runner() -> None:
    assert import_graph()["project"] == set()


def test_cli_only_parses_and_dispatches() -> None:
    lines = (RUNNER / "cli.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= CLI_MOST_LINES, f"cli.py has {len(lines)} lines: move what is not parsing"
