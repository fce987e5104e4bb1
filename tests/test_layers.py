"""Dependencies run one way (ingest -> clean -> extract -> link -> store -> report/web), read from
the imports themselves:

- the store holds rows: it imports the model and SQLAlchemy (Alembic for its migrations, psycopg
  for PostgreSQL, NumPy for stored vectors), never another stage (`link`, `embed`, `report`, the
  pipeline);
- storing runs is the library's (`storydiff.archive`), which the command line and the web app call;
- the store and the web app are shells the command line plugs in, so neither imports the command
  line back (a user error they raise is `storydiff.errors.CliError`).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "storydiff"
# What the store may import besides the standard library (psycopg: the PostgreSQL driver).
STORE_MAY_IMPORT = {"storydiff", "storydiff.model", "sqlalchemy", "alembic", "numpy", "psycopg"}


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (in functions and `TYPE_CHECKING` blocks too);
    `from package import module` counts as importing `package.module` as well."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _files(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _allowed_in_store(module: str) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or module.startswith("storydiff.store"):
        return True
    if top == "storydiff":
        # `from storydiff import __version__` reads as storydiff.__version__
        return (
            module in STORE_MAY_IMPORT
            or module == "storydiff.__version__"
            or module.startswith("storydiff.model.")
        )
    return top in STORE_MAY_IMPORT


def test_store_and_web_never_import_the_command_line() -> None:
    files = _files("store") + _files("web")
    assert len(files) > 5
    offenders = {
        str(f.relative_to(SRC)): m for f in files for m in _imports(f) if m.startswith("storydiff.cli")
    }
    assert offenders == {}


def test_the_store_imports_only_the_model_and_its_database_libraries() -> None:
    files = _files("store")
    assert any(f.name == "writing.py" for f in files) and any(f.name == "reading.py" for f in files)
    offenders = {
        str(f.relative_to(SRC)): sorted(m for m in _imports(f) if not _allowed_in_store(m)) for f in files
    }
    assert {f: ms for f, ms in offenders.items() if ms} == {}


def test_the_rule_catches_what_it_should() -> None:
    for module in ("storydiff.link.stories", "storydiff.embed", "storydiff.report.json", "storydiff.archive",
                   "storydiff.pipeline", "storydiff.cli", "fastapi"):  # fmt: skip
        assert not _allowed_in_store(module), module
    for module in (
        "storydiff.model",
        "storydiff.store.rows",
        "sqlalchemy.dialects",
        "json",
        "alembic.command",
    ):
        assert _allowed_in_store(module), module


def test_storing_runs_goes_through_the_archive() -> None:
    """The command line and the web app record runs and link what is new with the library's
    `storydiff.archive`, rather than each doing it its own way."""
    for path in (SRC / "store_cli.py", SRC / "web" / "app.py"):
        assert "storydiff.archive" in _imports(path), path.name
    app = ast.parse((SRC / "web" / "app.py").read_text(encoding="utf-8"))
    called = {
        n.func.attr for n in ast.walk(app) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    assert "relink" not in called  # a pasted article relinks only the stories it touches


def test_the_command_line_knows_the_store_only_as_a_plug_in() -> None:
    """`cli.py` names the store's commands module in `PLUGIN_COMMANDS` and imports nothing of the
    store: `--db`, `report` and the store's commands come from `store_cli.register`."""
    assert not {m for m in _imports(SRC / "cli.py") if m.startswith(("storydiff.store", "storydiff.archive"))}


def test_errors_import_nothing_of_storydiff() -> None:
    assert not {m for m in _imports(SRC / "errors.py") if m.startswith("storydiff")}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_is_used_by_the_product() -> None:
    """Every module is reached from the `storydiff` command by its imports, or by name in a string
    (the command line's plug-ins). Not reached that way, and used all the same: `python -m
    storydiff` (`__main__`) and the store's migrations, which Alembic loads from their folder."""
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    seen: set[str] = set()
    todo = ["storydiff.cli"]
    while todo:
        name = todo.pop()
        if name in seen or name not in modules:
            continue
        seen.add(name)
        tree = ast.parse(modules[name].read_text(encoding="utf-8"))
        named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        for imported in _imports(modules[name]) | {s for s in named if s.startswith("storydiff.")}:
            parts = imported.split(".")
            todo += [".".join(parts[:k]) for k in range(1, len(parts) + 1)]
    unused = {m for m in set(modules) - seen if m != "storydiff.__main__" and ".migrations" not in m}
    assert not unused
