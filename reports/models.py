"""Rendered outputs kept in the media storage: a final version's PDF, rendered once."""

from __future__ import annotations

import uuid

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver


def stored_pdf_path(instance: StoredPDF, filename: str) -> str:
    # Random: the name says nothing about the review and cannot be guessed.
    return f"reports/{uuid.uuid4().hex}.pdf"


class StoredPDF(models.Model):
    """The PDF of a final (or published) version in one language: of a feedback report
    (`version`) or of a comparative report (`comparative`), exactly one of the two. A final
    version cannot change, so its PDF is rendered once (a task at finalisation and
    publication, or the first download) and then served from here. Reopening the version
    removes it."""

    version = models.ForeignKey(
        "reviews.ReportVersion",
        on_delete=models.CASCADE,
        related_name="stored_pdfs",
        null=True,
        blank=True,
    )
    comparative = models.ForeignKey(
        "syntheses.ComparativeVersion",
        on_delete=models.CASCADE,
        related_name="stored_pdfs",
        null=True,
        blank=True,
    )
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to=stored_pdf_path)
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="one_pdf_per_language"),
            models.UniqueConstraint(
                fields=["comparative", "language"], name="one_comparative_pdf_per_language"
            ),
            models.CheckConstraint(
                condition=models.Q(version__isnull=False, comparative__isnull=True)
                | models.Q(version__isnull=True, comparative__isnull=False),
                name="stored_pdf_of_one_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version or self.comparative} ({self.language})"


@receiver(post_delete, sender=StoredPDF)
def remove_stored_pdf(sender, instance: StoredPDF, **kwargs) -> None:
    """Also when a review is deleted with its report (cascades skip delete())."""
    if instance.file.name:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
