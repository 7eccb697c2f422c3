from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthesesConfig(AppConfig):
    name = "syntheses"
    verbose_name = _("Comparative reports")

    def ready(self) -> None:
        from syntheses import rules  # noqa: F401 - registers the permissions
