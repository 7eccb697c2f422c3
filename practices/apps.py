from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good-practice library")

    def ready(self) -> None:
        from practices import feed
        from reviews.models import FeedbackReport
        from reviews.signals import report_final

        # Only a feedback report's findings feed the library (a comparative report's
        # publication sends the same signal, for its stored PDF).
        report_final.connect(
            feed.on_report_final, sender=FeedbackReport, dispatch_uid="practices.drafts_from_report"
        )
