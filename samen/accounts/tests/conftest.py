import pytest
from django.test import Client

MODEL_BACKEND = "samen.accounts.backends.SamenBackend"


@pytest.fixture
def client():
    """A browser that prefers English, so assertions read like the msgids (Dutch is tested separately)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def log_in(client):
    """Log a user in without the form (the first backend, django-axes, only watches; it cannot load users)."""

    def log_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return log_in
