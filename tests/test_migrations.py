"""The migrations: one clean sequence per app (squashed before anything was deployed), and
nothing in the models that they do not already say."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

import perfhub

ROOT = Path(perfhub.__file__).resolve().parent.parent


@pytest.mark.django_db
def test_makemigrations_finds_nothing_to_do():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_no_app_has_merge_migrations_or_two_migrations_of_one_number():
    for folder in sorted(ROOT.glob("*/migrations")):
        names = sorted(p.stem for p in folder.glob("0*.py"))
        numbers = [name[:4] for name in names]
        assert len(numbers) == len(set(numbers)), f"{folder}: two migrations share a number: {names}"
        assert not [name for name in names if "merge" in name], f"{folder}: merge migrations: {names}"
