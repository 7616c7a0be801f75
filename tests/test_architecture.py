"""Guard rails on the shape of the code: no import cycles, no guards for missing sibling modules,
and stage SQL in .sql files rather than Python strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "patentq"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _resolve(module: str, level: int, name: str | None, is_package: bool) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> dict[str, set[str]]:
    """module → patentq modules it imports, wherever in the file (function bodies included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, node.level, node.module, is_package)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != module:
                    graph[module].add(target)
                elif target.startswith("patentq") and target.rsplit(".", 1)[0] in modules:
                    pass  # an attribute of a module: the module itself is listed too
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Imports between modules, where a package's ``__init__`` importing its own submodules is
    not an edge back (it is how a package exposes them)."""
    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out[module] = {t for t in targets if not (t.startswith(module + ".") and _modules()[module].name == "__init__.py")}
    return out


def test_the_import_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_patentq():
    cycles = _cycles(_package_graph(import_graph()))
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


GUARD = re.compile(r"except\s+\(?\s*(ImportError|ModuleNotFoundError)")
#: Optional third-party packages may be missing (extras); the handler must name the extra to install.
OPTIONAL = ("pyspark", "openpyxl", "playwright", "sklearn", "sentence_transformers")


def test_no_guards_for_missing_sibling_modules():
    """``except ImportError`` only around optional third-party extras, never around patentq's own
    modules (a guard there hides real import errors)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = [h for h in node.handlers if h.type is not None and GUARD.match("except " + ast.unparse(h.type))]
            if not catches:
                continue
            imported = [n for stmt in node.body for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom))]
            names = [a.name for n in imported if isinstance(n, ast.Import) for a in n.names]
            names += [n.module or "." for n in imported if isinstance(n, ast.ImportFrom) and n.level == 0]
            relative = [n for n in imported if isinstance(n, ast.ImportFrom) and n.level > 0]
            if relative or not names or not all(any(n.startswith(o) for o in OPTIONAL) for n in names):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


SQL_WORDS = re.compile(r"\b(SELECT|INSERT|CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|MACRO))\b.*\bFROM\b|"
                       r"\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|MACRO)\b", re.S)
#: Where SQL is generated rather than written: the landscape compiler (and the per-category unions
#: of apply.py), the per-component cohort
#: expressions, the per-measure aggregates of compare, the engines' own plumbing (views over the
#: lake's Parquet parts), and the source adapters (ingest maps each format's columns in DuckDB,
#: before any stage runs).
GENERATED = ("landscapes/compile.py", "landscapes/keywords.py", "landscapes/apply.py", "indicators/__init__.py", "compare/measures.py",
             "engines/", "sources/", "synthetic/scale.py", "synthetic/demo/export.py", "schema.py", "sql.py")


def _string_constants(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, text


def test_stage_sql_lives_in_sql_files():
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(GENERATED) or any(rel.startswith(g) for g in GENERATED):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, (ast.Constant, ast.JoinedStr)):
                for line, text in _string_constants(node):
                    if SQL_WORDS.search(text) and len(text) > 40:
                        offenders.append(f"{rel}:{line}: {text[:60]!r}")
                        break
    assert offenders == [], "SQL in Python strings (move it to a .sql file):\n" + "\n".join(sorted(set(offenders)))


@pytest.mark.parametrize("package", ["families", "attribution", "compare", "harmonize", "indicators", "family_report",
                                     "landscapes", "normalize"])
def test_every_sql_file_is_loaded_somewhere(package):
    """A .sql file nothing loads is dead code."""
    folder = SRC / package
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    unused = [f.stem for f in folder.glob("*.sql") if f'"{f.stem}"' not in code and f"'{f.stem}'" not in code]
    assert unused == []


def test_no_unused_or_undefined_names():
    """ruff's pyflakes rules (pyproject.toml [tool.ruff.lint]) over the code, tests and benches."""
    import subprocess
    import sys

    root = SRC.parents[1]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "-q", "src", "tests", "bench", "scripts"],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
