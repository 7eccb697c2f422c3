"""Whether a programme's published ratings are open data for anyone (coordinators always
may download them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataQuerySet(models.QuerySet):
    def is_open(self, programme) -> bool:
        return self.filter(programme=programme, is_open=True).exists()


class OpenData(models.Model):
    programme = models.OneToOneField(
        "reviews.Programme", on_delete=models.CASCADE, related_name="open_data"
    )
    is_open = models.BooleanField(
        _("open to anyone"),
        default=False,
        help_text=_("Anyone, without signing in, may download the published ratings."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    objects = OpenDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("open data of a programme")
        verbose_name_plural = _("open data of programmes")

    def __str__(self) -> str:
        return str(self.programme)
