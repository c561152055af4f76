import pytest
from django.core.management import call_command

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests use a fast hasher unless they ask for ``argon2``."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", ARGON2]


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = [ARGON2]


@pytest.fixture
def generate(db):
    """Run ``manage.py demo_municipality`` quietly with a small number of households."""

    def run(households: int = 20, seed: int = 2026, **options):
        call_command("demo_municipality", households=households, seed=seed, verbosity=0, **options)

    return run
