"""The layers between the apps hold: the contracts in pyproject.toml ([tool.importlinter]), checked by import-linter
on the real import graph. A module below that imports one above fails here, naming the import chain."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_no_app_imports_one_above_it():
    lint_imports = pathlib.Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 - our own virtualenv's command, fixed arguments
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
