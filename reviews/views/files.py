"""Attached files: served only to people who may see the review's work, never from a public URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

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


@review_view("reviews.edit_inception")
def delete(request, review: Review, file: int):
    """Asks first, naming the file and what it is attached to; then removes it for good.
    Reached by a link, so that removing a file never posts the form it is listed in."""
    attachment = get_object_or_404(
        review.attachments.select_related("section", "assessment__indicator", "request"),
        pk=file,
    )
    back = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("reviews:inception", args=[review.pk])
    cited = Evidence.objects.filter(document_attachment=attachment).exists()
    if request.method == "POST" and not cited:
        attachment.delete()
        messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
        return redirect(back)
    return render(
        request,
        "reviews/inception/file_delete.html",
        {"review": review, "attachment": attachment, "cited": cited, "next": back},
        status=409 if request.method == "POST" else 200,
    )
