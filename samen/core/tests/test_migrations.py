import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    """A model change without its migration fails here (makemigrations exits non-zero)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
