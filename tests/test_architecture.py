"""The package layout keeps its promises: no import cycles, and each layer imports only what its README
allows (engines: the standard library, numpy and pandas; nothing imports upward)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import salesbook

ROOT = Path(salesbook.__file__).parent

# Which salesbook layers each layer may import (besides itself). The layer of a module is its first
# component under salesbook/ (salesbook/engines/targets/plan.py -> engines; salesbook/cli.py -> cli).
_RULES = {
    "schemas": set(),
    "messages": {"schemas"},
    "errors": {"messages", "schemas"},
    "engines": {"errors", "messages"},
    "book": {"errors", "messages", "schemas"},
    "jobs": {"book", "engines", "errors", "messages", "schemas"},
    "pipeline": {"book", "jobs", "errors", "messages", "schemas"},
    "extras": {"errors", "messages"},
    "reports": {"book", "errors", "extras", "messages", "schemas"},
    "excel": {"book", "engines", "errors", "jobs", "messages", "pipeline", "schemas"},
    "demo": {"book", "engines", "errors", "extras", "messages", "pipeline", "reports", "schemas"},
    "cli": {"book", "demo", "errors", "extras", "jobs", "messages", "pipeline", "reports", "schemas"},
    "__main__": {"cli"},
    "__init__": {"engines", "errors"},
}
# every layer may say which salesbook it is (salesbook/version.py imports nothing)
ALLOWED = {name: allowed | {"version"} for name, allowed in _RULES.items()} | {"version": set()}
ENGINE_THIRD_PARTY = {"numpy", "pandas"}


def module_name(path: Path) -> str:
    parts = ("salesbook", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def imports(module: str) -> list[tuple[str, int]]:
    """Every module named by an import statement anywhere in the file (lazy imports included)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for a in node.names:
                full = f"{base}.{a.name}"
                found.append((full if full in MODULES else base, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    return {m: {name for name, _ in imports(m) if name in MODULES and name != m} for m in MODULES}


def test_modules_are_found():
    assert "salesbook.engines.commissions.pay" in MODULES
    assert "salesbook.engines.targets" in MODULES


def test_no_import_cycles():
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(g[m]):
            if state.get(n) == 1:
                cycles.append([*stack[stack.index(n):], n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_cycle_finder_finds_a_cycle():
    """The walk above is not vacuous: a package face imported back by its own submodule is a cycle."""
    g = graph()
    g["salesbook.engines.commissions.pay"].add("salesbook.engines.commissions")
    seen = set()

    def reaches(a: str, b: str) -> bool:
        if a == b:
            return True
        seen.add(a)
        return any(reaches(n, b) for n in g[a] if n not in seen)

    assert reaches("salesbook.engines.commissions", "salesbook.engines.commissions.pay")
    seen.clear()
    assert reaches("salesbook.engines.commissions.pay", "salesbook.engines.commissions")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_import_only_what_they_may(module):
    mine = layer(module)
    assert mine in ALLOWED, f"{module}: layer {mine!r} is not described in ALLOWED (and in its README)"
    bad = []
    for name, line in imports(module):
        top = name.split(".")[0]
        if top == "salesbook":
            other = layer(name)
            if other not in ({mine} | ALLOWED[mine]):
                bad.append(f"line {line}: {name} ({other})")
        elif mine == "engines" and top not in sys.stdlib_module_names and top not in ENGINE_THIRD_PARTY:
            bad.append(f"line {line}: {name} (engines use only the standard library, numpy and pandas)")
    assert not bad, f"{module} imports across its layer's rule:\n" + "\n".join(bad)


LAYER_WORDS = {"schemas", "messages", "errors", "engines", "book", "jobs", "pipeline", "reports", "excel", "demo",
               "cli", "version", "extras"}


@pytest.mark.parametrize("layer_name", ["engines", "book", "reports", "excel", "schemas", "jobs"])
def test_each_layer_readme_states_its_import_rule(layer_name):
    """The README's "May import:" line names exactly the salesbook layers the rule above allows."""
    readme = ROOT / layer_name / "README.md"
    assert readme.is_file(), f"salesbook/{layer_name} has no README.md"
    text = readme.read_text(encoding="utf-8")
    rule = next((p for p in text.split("\n\n") if p.startswith("**May import:**")), None)
    assert rule, f"{readme} has no paragraph starting with **May import:**"
    allowed_part = rule.split("never")[0]
    named = {w.strip("`.;:()") for w in allowed_part.replace(",", " ").split()} & LAYER_WORDS
    assert named == ALLOWED[layer_name], f"{readme} says {sorted(named)}, the rule is {sorted(ALLOWED[layer_name])}"
