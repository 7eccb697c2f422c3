"""Settings for the test suite: the normal settings, made fast and self-contained."""

import os
import tempfile

os.environ.setdefault("DJANGO_ENV", "test")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cf-test-media-"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in the process that enqueues them, once the transaction commits, so tests see
# their effect (mail.outbox) right after a request. The worker tests start real
# `db_worker` processes on the database backend (tests/test_workers.py).
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"], "QUEUES": ["default"]}}  # noqa: F405
