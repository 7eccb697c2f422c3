from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Every e-mail the app sends, as a row a background task delivers exactly once.

    Above `core`, below every app that tells people something; it knows no other app."""

    name = "mail"
    verbose_name = _("E-mail")
