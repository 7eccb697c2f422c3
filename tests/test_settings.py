"""Settings: production refuses unsafe values, check --deploy is clean, every variable documented."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(60)


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(environ)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_dev_secret_key():
    result = run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="review.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG="true", ALLOWED_HOSTS="x.org"
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="review.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env.env_bool("DEBUG")


def test_bad_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env.env_int("EMAIL_PORT", 25)


def test_list_and_choice_helpers(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.org, b.org ,,")
    assert env.env_list("ALLOWED_HOSTS", []) == ["a.org", "b.org"]
    monkeypatch.setenv("EMAIL_BACKEND", "pigeon")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND must be one of"):
        env.env_choice("EMAIL_BACKEND", "console", ("console", "smtp"))


def test_env_example_lists_every_variable_the_settings_read():
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', (ROOT / "config/settings.py").read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found"
    assert read - documented == set()


def test_sqlite_default_uses_wal_and_a_busy_timeout():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("running on PostgreSQL")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x.org"}, "True"),
        ({"DJANGO_ENV": "development"}, "False"),
        ({"DJANGO_ENV": "development", "TWO_FACTOR_REQUIRED_FOR_COORDINATORS": "true"}, "True"),
    ],
)
def test_two_factor_is_required_for_coordinators_by_default_in_production_only(
    environ, expected, monkeypatch
):
    monkeypatch.delenv("TWO_FACTOR_REQUIRED_FOR_COORDINATORS", raising=False)
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS)",
        **environ,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
