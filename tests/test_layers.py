"""Dependencies run one way: the store and the web app are shells the command line plugs in, so
neither imports the command line back (a user error they raise is `storydiff.errors.CliError`)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "storydiff"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_store_and_web_never_import_the_command_line() -> None:
    files = sorted((SRC / "store").rglob("*.py")) + sorted((SRC / "web").rglob("*.py"))
    assert len(files) > 5
    offenders = {str(f.relative_to(SRC)): m for f in files for m in _imports(f) if m == "storydiff.cli"}
    assert offenders == {}


def test_errors_import_nothing_of_storydiff() -> None:
    assert not {m for m in _imports(SRC / "errors.py") if m.startswith("storydiff")}
