"""The floors (STYLE.md, "Layout as PerfHub grows"; issue 18, finding 26): measures <
presentation < risks < reports (presentation draws what measures hold: charts, SVG, exports, rows). A module imports only from its own floor or the floors below it, so
the risk register never reaches up into the reports, and the reports read the risks.

Imports are read from the source with ast, function-level imports included: a late import is
still a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps above it, which it must never import.
ABOVE = {
    "measures": {"presentation", "risks", "reports", "imports", "api"},
    "presentation": {"risks", "reports", "imports", "api"},
    "risks": {"reports", "imports", "api"},
}


def imported_apps(path):
    """Every top-level package a module imports, at any depth of its code."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def modules(app):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_no_app_imports_from_a_floor_above_it(app):
    crossings = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules(app)
        for name, line in imported_apps(path)
        if name in ABOVE[app]
    ]
    assert crossings == []


def test_the_reports_read_the_risks_and_draw_with_presentation():
    """The floors are really used in that order, so the test above guards something."""
    names = {name for path in modules("reports") for name, _ in imported_apps(path)}
    assert {"risks", "presentation", "measures"} <= names


def test_the_models_do_not_import_the_refresh_service_when_they_load():
    """measures.publication (the refresh, a service) imports the models; the models do not
    import it as they load, so there is no import cycle between them."""
    tree = ast.parse((ROOT / "measures" / "models.py").read_text())
    top_level = [
        node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    names = {alias.name for node in top_level for alias in node.names} | {
        node.module for node in top_level if isinstance(node, ast.ImportFrom)
    }
    assert "publication" not in names and "measures.publication" not in names
    publication = {name for name, _ in imported_apps(ROOT / "measures" / "publication.py")}
    assert "measures" in publication
