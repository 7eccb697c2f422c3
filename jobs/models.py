"""A job: long work someone asked for, run by a background task, and what came of it."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs import kinds

# Finished jobs, and their files, are removed this long after they finished.
KEEP_FOR = datetime.timedelta(days=7)


def _input_path(instance: Job, filename: str) -> str:
    return f"jobs/{uuid.uuid4().hex}/input"


def _result_path(instance: Job, filename: str) -> str:
    return f"jobs/{uuid.uuid4().hex}/result"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Whoever started a job sees it; coordinators see every job."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self
        return self.filter(started_by=user)

    def expired(self) -> JobQuerySet:
        return self.filter(finished_at__lt=timezone.now() - KEEP_FOR)


class Job(models.Model):
    WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
    STATUS_CHOICES = [
        (WAITING, _("Waiting to start")),
        (RUNNING, _("Running")),
        (DONE, _("Done")),
        (FAILED, _("Failed")),
    ]
    # The URL holds the id: not guessable, not counting other people's jobs.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The language the person asked in: messages and results are written in it.
    language = models.CharField(max_length=8, default="en")
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to=_input_path, blank=True)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    message = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)  # [[where, what], ...]
    result_file = models.FileField(upload_to=_result_path, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    result_url = models.CharField(max_length=300, blank=True)  # a page of the app
    # A page of the app the job belongs to (the review, the benchmark), for the way back.
    back_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def label(self) -> str:
        try:
            return str(kinds.get(self.kind).label)
        except KeyError:
            return self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    # --- written by the task, each change saved at once so the status page sees it -------

    def _save(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        Job.objects.filter(pk=self.pk).update(**fields)

    def start(self) -> None:
        self._save(status=self.RUNNING, started_at=timezone.now(), progress=0)

    def report(self, progress: int, message: str = "") -> None:
        """Progress in percent (0-100) and what is being done, for the status page."""
        self._save(progress=max(0, min(100, int(progress))), message=str(message))

    def succeed(
        self,
        message: str,
        *,
        content: bytes | File | None = None,
        name: str = "",
        content_type: str = "application/octet-stream",
        url: str = "",
    ) -> None:
        """Done: a file to download (`content`, offered as `name`) or a page (`url`)."""
        if content is not None:
            body = content if isinstance(content, File) else ContentFile(content)
            self.result_file.save(name or "result", body, save=False)
        self._save(
            status=self.DONE,
            progress=100,
            message=str(message),
            result_file=self.result_file.name or "",
            result_name=name,
            result_type=content_type if content is not None else "",
            result_url=url,
            finished_at=timezone.now(),
        )
        self.drop_input()

    def fail(self, message: str, problems: list | None = None) -> None:
        self._save(
            status=self.FAILED,
            message=str(message),
            problems=[[str(where), str(what)] for where, what in problems or []],
            finished_at=timezone.now(),
        )
        self.drop_input()

    def drop_input(self) -> None:
        if self.input_file.name:
            self.input_file.storage.delete(self.input_file.name)
            self._save(input_file="")


def _remove_files(instance: Job) -> None:
    for field in (instance.input_file, instance.result_file):
        if field.name:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))


@receiver(post_delete, sender=Job)
def remove_job_files(sender, instance: Job, **kwargs) -> None:
    _remove_files(instance)
