"""Work on a review that spans models or has side effects (e-mail, notifications), one
module per step. Import from the module that names the step; the names below are the ones
other layers (tests, commands) use most."""

from reviews.services.desk_review import ask_host, desk_review_for, submit_desk_review
from reviews.services.inception import (
    add_attachment,
    reopen_inception_report,
    submit_inception_report,
)
from reviews.services.notifications import notify, notify_after_commit
from reviews.services.team import add_member

__all__ = [
    "add_attachment",
    "add_member",
    "ask_host",
    "desk_review_for",
    "notify",
    "notify_after_commit",
    "reopen_inception_report",
    "submit_desk_review",
    "submit_inception_report",
]
