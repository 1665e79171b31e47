"""The import graph between our top-level packages (read with ast, nothing imported): the
layers hold and no two packages import each other, directly or through others."""

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = frozenset(
    {
        "config",
        "domain",
        "netrules",
        "notify",
        "reactions_cli",
        "schemas",
        "service",
        "store",
        "taskqueue",
        "telemetry",
        "usecases",
        "workers",
    }
)


def _only(*allowed: str) -> frozenset[str]:
    """Every package of ours but these: the ones a package that may import only these must not."""
    return OURS - set(allowed)


# Package -> the packages of ours it must never import.
FORBIDDEN: dict[str, frozenset[str]] = {
    "service": frozenset({"workers"}),
    "workers": frozenset({"service"}),
    "domain": _only("domain", "schemas"),
    "schemas": _only("schemas"),
    "store": frozenset({"service", "workers", "usecases", "taskqueue", "notify"}),
    "usecases": frozenset({"service", "workers"}),
}


@dataclass(frozen=True, slots=True)
class Edge:
    """One import statement: the module that imports, the module imported, and where."""

    importer: str
    imported: str
    where: str


def _module_name(path: Path, root: Path) -> str:
    """The dotted module name of a file under `root` (a package's `__init__` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, *, is_package: bool) -> list[str]:
    """The absolute names an import statement brings in (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return [".".join([*base, node.module] if node.module else base)]


def edges_of(root: Path, packages: Iterable[str]) -> list[Edge]:
    """Every import, at any depth of the code (lazy imports in functions too), made by the
    modules of these packages under `root`."""
    found: list[Edge] = []
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            module = _module_name(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    is_package = path.name == "__init__.py"
                    for name in _imported(node, module, is_package=is_package):
                        where = f"{path.relative_to(root)}:{node.lineno}"
                        found.append(Edge(importer=module, imported=name, where=where))
    return found


def package_graph(edges: Iterable[Edge], ours: frozenset[str]) -> dict[str, set[str]]:
    """Top-level package -> the other packages of ours it imports."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        source, target = edge.importer.split(".")[0], edge.imported.split(".")[0]
        graph.setdefault(source, set())
        if target in ours and target != source:
            graph[source].add(target)
    return graph


def violations(edges: Iterable[Edge], forbidden: Mapping[str, frozenset[str]]) -> list[str]:
    """Each import a package must not make, with where it is made."""
    return [
        f"{edge.where}: {edge.importer} imports {edge.imported}"
        for edge in edges
        if edge.imported.split(".")[0] in forbidden.get(edge.importer.split(".")[0], frozenset())
    ]


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every cycle of the graph, each once, as the path from its smallest node back to it."""
    found: list[list[str]] = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target == start:
                found.append([*path, start])
            elif target > start and target not in path:
                walk(start, target, [*path, target])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


def test_the_layers_hold() -> None:
    """service/ and workers/ never import each other, domain/ only schemas/, schemas/ nothing
    of ours, store/ no caller of it and usecases/ neither of its callers."""
    edges = edges_of(ROOT, OURS)
    assert len({edge.importer.split(".")[0] for edge in edges}) == len(OURS)
    assert violations(edges, FORBIDDEN) == []


def test_no_cycle_between_our_packages() -> None:
    """No package of ours reaches itself through the others."""
    assert cycles(package_graph(edges_of(ROOT, OURS), OURS)) == []


def _write(root: Path, files: Mapping[str, str]) -> None:
    """A synthetic source tree: path -> code."""
    for name, code in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")


def test_the_checker_sees_forbidden_imports_of_every_form(tmp_path: Path) -> None:
    """Plain, from, relative and lazy imports are all seen, and only forbidden ones reported."""
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/routes.py": "from jobs.run import go\n",
            "app/sub/__init__.py": "from .. import routes\n",
            "jobs/__init__.py": "",
            "jobs/run.py": "def go() -> None:\n    import app.routes\n",
            "core/__init__.py": "import os\nfrom . import values\n",
            "core/values.py": "from .other import x\nimport lib.thing\n",
        },
    )
    edges = edges_of(tmp_path, ["app", "jobs", "core"])
    names = {(edge.importer, edge.imported) for edge in edges}
    assert ("app.sub", "app") in names
    assert ("core", "core") in names
    assert ("core.values", "core.other") in names
    rules = {"app": frozenset({"jobs"}), "jobs": frozenset({"app"}), "core": frozenset({"lib"})}
    assert violations(edges, rules) == [
        "app/routes.py:1: app.routes imports jobs.run",
        "core/values.py:2: core.values imports lib.thing",
        "jobs/run.py:2: jobs.run imports app.routes",
    ]


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c", "a"]]),
        ({"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}, [["a", "b", "a"], ["a", "c", "a"]]),
    ],
)
def test_the_checker_finds_each_cycle_once(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    """Direct and indirect cycles are found, each once; a chain is none."""
    assert cycles(graph) == expected


def test_the_package_graph_keeps_only_ours_between_packages() -> None:
    """Imports within a package and of outside libraries are no edges."""
    edges = [
        Edge(importer="a.x", imported="a.y", where="a/x.py:1"),
        Edge(importer="a.x", imported="sqlalchemy", where="a/x.py:2"),
        Edge(importer="a.x", imported="b.z", where="a/x.py:3"),
        Edge(importer="b.z", imported="os", where="b/z.py:1"),
    ]
    assert package_graph(edges, frozenset({"a", "b"})) == {"a": {"b"}, "b": set()}
