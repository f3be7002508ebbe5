"""app/domain knows no Flask, no SQLAlchemy, no HTTP: checked on every module's imports."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"
FORBIDDEN = (
    "flask",
    "flask_login",
    "flask_smorest",
    "sqlalchemy",
    "werkzeug",
    "marshmallow",
    "webargs",
    "requests",
    "http",
    "urllib",
    "psycopg",
    "app.models",
    "app.services",
    "app.api",
)


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("module", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_nothing_of_the_edge(module):
    bad = [m for m in imported_modules(module) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert bad == []


def test_the_domain_folder_is_not_empty():
    assert len(list(DOMAIN.glob("*.py"))) >= 8
