"""Production settings: the site refuses to serve without a secret key, and the command-line
entry points (`python -m terreau`, the `terreau` console script) run Django's commands."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


def run(code_or_args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    """Run Python in a clean environment: no DEBUG, no PYTEST_VERSION, only what is given."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "TERREAU_DATA_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, *code_or_args],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("entry", ["terreau.wsgi", "terreau.asgi"])
@pytest.mark.parametrize("secret", [None, "", "insecure-development-key-change-me"])
def test_the_site_refuses_to_serve_in_production_without_a_secret_key(tmp_path, entry, secret):
    env = {} if secret is None else {"SECRET_KEY": secret}
    result = run(["-c", f"import {entry}"], tmp_path, **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_site_serves_in_production_with_a_secret_key(tmp_path):
    result = run(["-c", "import terreau.wsgi"], tmp_path, SECRET_KEY="k")
    assert result.returncode == 0, result.stderr


def test_commands_that_serve_nothing_run_without_a_secret_key(tmp_path):
    """Checking that migrations are in step needs no secret (CI and a fresh checkout)."""
    result = run(["-m", "terreau", "makemigrations", "--check", "--dry-run"], tmp_path)
    assert result.returncode == 0, result.stderr


def test_settings_load_in_production_with_a_secret_key(tmp_path):
    result = run(["-c", "import terreau.settings as s; print(s.DEBUG)"], tmp_path, SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_settings_load_without_a_secret_key_in_debug(tmp_path):
    result = run(["-c", "import terreau.settings"], tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_are_safe_by_default(tmp_path):
    code = (
        "import terreau.settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS,"
        " s.STORAGES['staticfiles']['BACKEND'].startswith('whitenoise'))"
    )
    result = run(["-c", code], tmp_path, SECRET_KEY="k")
    assert result.stdout.split() == ["False", "True", "True", "[]", "True"]


def test_python_dash_m_terreau_runs_the_system_checks_in_production(tmp_path):
    result = run(
        ["-m", "terreau", "check", "--deploy", "--fail-level", "ERROR"],
        tmp_path,
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="terreau.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified" in result.stdout + result.stderr


def test_the_console_script_points_to_a_main_that_runs_commands(tmp_path):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    module, function = pyproject["project"]["scripts"]["terreau"].split(":")
    code = f"import sys; sys.argv = ['terreau', 'check']; from {module} import {function} as m; m()"
    result = run(["-c", code], tmp_path, SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_stray_pytest_variable_does_not_lift_the_refusal(tmp_path):
    """PYTEST_VERSION in a server's environment must not allow the default key."""
    result = run(["-c", "import terreau.wsgi"], tmp_path, PYTEST_VERSION="8.4")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
