"""Root pytest configuration: tests run in development mode unless a test says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SAMEN_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))
