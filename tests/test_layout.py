"""The house rules of the package layout: imports point only downward.

Every `inspect_distill` import of every module (lazy imports inside functions included) is read with `ast`,
and the judge registry's `module:Class` paths count as imports of `ice/judging/judges.py`, which builds them.
The module graph and the folder graph have no circle; no judging or scoring module imports the campaign
or the solver; the rates and the score schema (`ice.score_value`) import neither the metrics nor the scorer; the
display module (`ice.display`, shared by the campaign and the scorer) imports neither, and the viewer imports no
scorer; the report imports no task; `common` and `identity` import nothing above them; RSE imports nothing of
ICE; the records load no judge, mutator or policy.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_distill.common.names import JUDGES

PACKAGE = "inspect_distill"
SOURCE = Path(__file__).resolve().parents[1] / "src" / PACKAGE


def module_name(path: Path, root: Path = SOURCE.parent) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str], root: Path = SOURCE.parent) -> Iterator[str]:
    """The package modules a module imports (a `from X import name` of a submodule counts as that module)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith(PACKAGE) and target != name and target != PACKAGE:
                yield target


JUDGE_BUILDER = f"{PACKAGE}.ice.judging.judges"


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in SOURCE.rglob("*.py")}
    modules = set(paths)
    edges = {name: set(imported_modules(path, modules)) for name, path in paths.items()}
    edges[JUDGE_BUILDER] |= {spec.judge.partition(":")[0] for spec in JUDGES.values()}
    return edges


def reached(start: str, edges: dict[str, set[str]]) -> set[str]:
    """Every module `start` loads, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def folder(module: str, modules: dict[str, set[str]]) -> str:
    """The folder a module lives in (a package's `__init__` lives in its own folder)."""
    is_package = (SOURCE.parent / module.replace(".", "/") / "__init__.py").is_file()
    return module if is_package else module.rpartition(".")[0]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A circle of the graph as a list of nodes, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_module_graph_has_no_circle() -> None:
    assert find_cycle(graph()) is None


def test_the_folder_graph_has_no_circle() -> None:
    modules = graph()
    folders: dict[str, set[str]] = {}
    for module, targets in modules.items():
        source = folder(module, modules)
        folders.setdefault(source, set()).update(
            target_folder for target in targets if (target_folder := folder(target, modules)) != source
        )
    assert find_cycle(folders) is None, folders


@pytest.mark.parametrize(
    "importer, forbidden",
    [
        ("inspect_distill.ice.judging", ("inspect_distill.ice.campaign", "inspect_distill.ice.solver")),
        ("inspect_distill.ice.scorer", ("inspect_distill.ice.campaign", "inspect_distill.ice.solver")),
        ("inspect_distill.ice.metrics", ("inspect_distill.ice.campaign", "inspect_distill.ice.solver")),
        ("inspect_distill.ice.rates", ("inspect_distill.ice.score_value", "inspect_distill.ice.metrics",
                                       "inspect_distill.ice.scorer", "inspect_distill.ice.campaign")),
        ("inspect_distill.ice.score_value", ("inspect_distill.ice.metrics", "inspect_distill.ice.scorer",
                                             "inspect_distill.ice.campaign", "inspect_distill.ice.solver")),
        ("inspect_distill.ice.display", ("inspect_distill.ice.scorer", "inspect_distill.ice.campaign",
                                         "inspect_distill.ice.viewer", "inspect_distill.ice.solver")),
        ("inspect_distill.ice.viewer", ("inspect_distill.ice.scorer", "inspect_distill.ice.campaign",
                                        "inspect_distill.ice.solver")),
        ("inspect_distill.ice.records", ("inspect_distill.ice.campaign", "inspect_distill.ice.solver",
                                         "inspect_distill.ice.scorer")),
        ("inspect_distill.rse.scorer", ("inspect_distill.rse.task",)),
        ("inspect_distill.report", ("inspect_distill.ice.task", "inspect_distill.rse.task")),
        ("inspect_distill.common", ("inspect_distill.ice", "inspect_distill.rse", "inspect_distill.identity",
                                    "inspect_distill.providers", "inspect_distill.report")),
        ("inspect_distill.identity", ("inspect_distill.ice", "inspect_distill.rse", "inspect_distill.providers",
                                      "inspect_distill.report")),
        ("inspect_distill.providers", ("inspect_distill.ice", "inspect_distill.rse", "inspect_distill.report")),
        ("inspect_distill.rse", ("inspect_distill.ice",)),
    ],
)
def test_imports_point_downward(importer: str, forbidden: tuple[str, ...]) -> None:
    offending = {
        (module, target)
        for module, targets in graph().items()
        if module == importer or module.startswith(importer + ".")
        for target in targets
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    }
    assert not offending


def test_rse_loads_no_ice_module() -> None:
    """RSE shares names with ICE only through `common` (`common.names.JudgeKind`), directly or through any chain."""
    modules = graph()
    loaded = set().union(*(reached(name, modules) for name in modules if name.startswith("inspect_distill.rse")))
    assert not {module for module in loaded if module.startswith("inspect_distill.ice")}


def test_the_records_load_no_judge_mutator_or_policy() -> None:
    """The settings name judges, mutators and policies (`common/names.py`); the records hold a `Verdict`."""
    loaded = reached("inspect_distill.ice.records", graph())
    heavy = {
        module for module in loaded
        if module.startswith(("inspect_distill.ice.judging.", "inspect_distill.ice.fuzz.mutators",
                              "inspect_distill.ice.fuzz.selection"))
    }
    assert heavy == {"inspect_distill.ice.judging.verdict"}


def test_the_graph_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "inspect_distill" / "ice" / "example.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from . import records\n"
        "def later() -> None:\n"
        "    from inspect_distill.ice.judging.claims import attributed_identity\n",
        encoding="utf-8",
    )
    known = {"inspect_distill.ice.records", "inspect_distill.ice.judging.claims", "inspect_distill.ice.example"}
    assert set(imported_modules(module, known, root=tmp_path)) == known - {"inspect_distill.ice.example"}
    assert "inspect_distill.ice.judging.lexical" in graph()[JUDGE_BUILDER]  # a registry path


def test_a_circle_is_found() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
