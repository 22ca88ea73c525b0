"""Every model change has its migration: a field or index changed without one would reach the
database of a deployment only by surprise."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_models_and_the_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits with 1 when a migration is missing
        pytest.fail(f"a migration is missing (exit {exit_.code}):\n{out.getvalue()}")
