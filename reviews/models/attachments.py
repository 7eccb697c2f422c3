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


def held_path(instance: HeldUpload, filename: str) -> str:
    return f"held/{instance.review_id}/{uuid.uuid4().hex}.{instance.kind}"


class HeldUploadQuerySet(models.QuerySet):
    def of(self, *, review, user) -> HeldUploadQuerySet:
        """Only the person who chose a file may have it attached."""
        return self.filter(review=review, uploaded_by=user)


class HeldUpload(models.Model):
    """A file chosen on a form that came back unsaved (an error elsewhere on the page, or
    someone else saved first). A browser cannot fill a file field again, so the file waits
    here, named next to its field, and is attached when the person saves. Files nobody
    came back for are removed after a day (see `reviews.services.inception.hold_upload`)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=held_path)
    kind = models.CharField(max_length=8, choices=[(k, k.upper()) for k in KINDS])
    original_name = models.CharField(_("file name"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HeldUploadQuerySet.as_manager()

    def __str__(self) -> str:
        return self.original_name


@receiver(post_delete, sender=HeldUpload)
def remove_held_file(sender, instance: HeldUpload, **kwargs) -> None:
    if instance.file.name:
        transaction.on_commit(lambda: instance.file.storage.delete(instance.file.name))
