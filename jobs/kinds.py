"""The kinds of job, registered by the apps that run them (in their AppConfig.ready()).

A kind is a name, a label for its page and a function ``run(job, **params)`` that does the
work: it calls ``job.report(percent, message)`` as it goes and ends with ``job.succeed()``,
or raises ``JobRefused`` with the problems to show (``job.fail`` is called for it). Any
other exception fails the job with a generic message; the traceback goes to the log only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # lazy translated: the job page's heading
    run: Callable


_KINDS: dict[str, Kind] = {}


def register(name: str, *, label, run: Callable) -> None:
    _KINDS[name] = Kind(name=name, label=label, run=run)


def get(name: str) -> Kind:
    return _KINDS[name]


class JobRefused(Exception):
    """The work cannot be done as asked: `message` and `problems` ([(where, what), ...]) are
    shown on the job page. Nothing was saved."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
