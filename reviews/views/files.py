"""Attached files: served only to people who may see the review's work, never from a public URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews.access import review_view
from reviews.models import Evidence, Review


@review_view("reviews.see_inception")
def download(request, review: Review, file: int):
    attachment = get_object_or_404(review.attachments, pk=file)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"  # the type is the one its content showed
    return response


@require_POST
@review_view("reviews.edit_inception")
def delete(request, review: Review, file: int):
    attachment = get_object_or_404(review.attachments, pk=file)
    if Evidence.objects.filter(document_attachment=attachment).exists():
        messages.error(request, _("Evidence cites this document, so it stays."))
        return redirect("reviews:inception", pk=review.pk)
    attachment.delete()
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("reviews:inception", args=[review.pk])
    return redirect(target)
