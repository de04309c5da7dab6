from pathlib import Path

import pytest

from imports.services import import_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def import_path():
    """Import a file from disk the way the command and the page do."""

    def run(path, mapping=None, **options):
        path = Path(path)
        return import_file(path.read_bytes(), path.name, mapping, **options)

    return run
