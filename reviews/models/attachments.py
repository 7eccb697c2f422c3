"""Files attached to a review's work, stored under unguessable names and served only
through a view that checks who may see them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from reviews.models.review import Review
from reviews.uploads import KINDS, download_name


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"reviews/{instance.review_id}/{uuid.uuid4().hex}.{instance.kind}"


class Attachment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="attachments")
    # What the file belongs to: one of these is set.
    section = models.ForeignKey(
        "reviews.BackgroundSection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    assessment = models.ForeignKey(
        "reviews.SelfAssessment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    request = models.ForeignKey(
        "reviews.InformationRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path)
    kind = models.CharField(max_length=8, choices=[(k, k.upper()) for k in KINDS])
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return KINDS[self.kind]

    @property
    def download_name(self) -> str:
        """The name it is served under: the person's, with its detected type's extension."""
        return download_name(self.original_name, self.kind)


@receiver(post_delete, sender=Attachment)
def remove_stored_file(sender, instance: Attachment, **kwargs) -> None:
    """Also when a review or section is deleted with its attachments (cascades skip delete())."""
    if instance.file.name:
        transaction.on_commit(lambda: instance.file.storage.delete(instance.file.name))
