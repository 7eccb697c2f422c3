from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good-practice library")

    def ready(self) -> None:
        from practices import feed
        from reviews.signals import report_final

        report_final.connect(feed.on_report_final, dispatch_uid="practices.drafts_from_report")
