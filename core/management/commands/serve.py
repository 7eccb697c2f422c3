"""`manage.py serve`: the development server and one task worker beside it (`make run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
WORKERS = {
    "database": ["db_worker"],
    "rq": ["rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"],
    "immediate": None,  # tasks run in the web process: no worker
}


class Command(BaseCommand):
    help = (
        "Run the development server and one background worker beside it (db_worker, or "
        "rqworker with TASKS_BACKEND=rq); Ctrl-C (or SIGTERM) stops both. When either "
        "stops on its own, the other is stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        commands = [["runserver", addrport]]
        worker = WORKERS[settings.TASKS_BACKEND]
        if worker:
            commands.insert(0, worker)
        # Ctrl-C and SIGTERM stop both, even when this process was started with SIGINT
        # ignored (a background job of a non-interactive shell inherits that): a handler
        # of our own, set before the children start, also gives them back the default
        # disposition (exec resets handled signals, never ignored ones).
        signal.signal(signal.SIGINT, _raise_interrupt)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        # Each child leads its own process group (runserver and db_worker each have a
        # reloader child): stopping a group stops the whole of it.
        children = [
            subprocess.Popen([sys.executable, MANAGE, *c], start_new_session=True)  # noqa: S603
            for c in commands
        ]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                _stop(child)
        self.stdout.write("Stopped the server and the worker.")


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(child: subprocess.Popen, timeout: float = 10) -> None:
    """Ctrl-C to the child's group, then SIGTERM, then SIGKILL, each after `timeout`."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(child.pid, sent)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        return
