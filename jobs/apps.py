from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long work (an import, an export, a large PDF) run as a background task, with a page
    that shows its progress and result. It knows no app above it: each app registers the
    kinds of job it runs (`jobs.kinds.register`)."""

    name = "jobs"
    verbose_name = _("Background jobs")
