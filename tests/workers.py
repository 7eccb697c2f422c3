"""Real worker processes for tests: `manage.py db_worker` (and friends) as subprocesses on
the test database, sending mail to an SMTP sink over the loopback network.

pytest-django's SQLite test database lives in memory, where no other process can see it.
`SharedDatabase` then copies it into a file for the subprocesses (SQLite's backup API, the
whole database at once) and copies the file back when they are done, so the test reads
what the workers wrote through the ORM as usual. On PostgreSQL the subprocesses open the
test database itself and both copies do nothing. Tests using it need `transactional_db`:
the workers see only committed rows.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class SharedDatabase:
    def __init__(self, tmp_path: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.path = tmp_path / "shared.sqlite3"

    @property
    def url(self) -> str:
        if self.sqlite:
            return f"sqlite:///{self.path}"
        s = connection.settings_dict
        user, password = quote(s["USER"] or ""), quote(s["PASSWORD"] or "")
        return f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def publish(self) -> None:
        """What the test wrote, for the subprocesses."""
        if self.sqlite:
            connection.ensure_connection()
            self.path.unlink(missing_ok=True)
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def scalar(self, sql: str, *params):
        """One value read while the subprocesses run (`?` placeholders)."""
        if self.sqlite:
            reader = sqlite3.connect(self.path, timeout=20)
            try:
                return reader.execute(sql, params).fetchone()[0]
            finally:
                reader.close()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchone()[0]

    def execute(self, sql: str, *params) -> None:
        """One change made while the subprocesses run (`?` placeholders)."""
        if self.sqlite:
            writer = sqlite3.connect(self.path, timeout=20)
            try:
                with writer:
                    writer.execute(sql, params)
            finally:
                writer.close()
            return
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)

    def collect(self) -> None:
        """What the subprocesses wrote, for the test."""
        if self.sqlite:
            source = sqlite3.connect(self.path)
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()


def worker_env(database_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="test",
        DEBUG="false",
        DATABASE_URL=database_url,
        TASKS_BACKEND="database",
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="5",
        EMAIL_RETRY_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start(
    *args: str, env: dict[str, str], log: Path, sigint_ignored: bool = False
) -> subprocess.Popen:
    """`manage.py <args>` in its own process group, output to `log`. `sigint_ignored`
    starts it as a background job of a non-interactive shell is started: SIGINT ignored."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        if sigint_ignored
        else None,  # noqa: PLW1509
    )


def run_batch_worker(env: dict[str, str], log: Path, timeout: float = 120) -> None:
    """One `db_worker --batch`: runs every task that is ready, then exits."""
    process = start(
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        env=env,
        log=log,
    )
    assert process.wait(timeout=timeout) == 0, log.read_text()


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """Ask politely (SIGTERM: the worker finishes its task), then insist."""
    if process.poll() is None:
        process.terminate()
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait(timeout=timeout)


def wait_until(check, timeout: float = 60, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return bool(check())
