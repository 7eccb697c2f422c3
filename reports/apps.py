from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _store_pdf_after_commit(sender, version, **kwargs) -> None:
    from reports.stored import kind_of
    from reports.tasks import store_final_pdf

    kind = kind_of(version)
    transaction.on_commit(lambda: store_final_pdf.enqueue(version.pk, kind))


def _drop_stored_pdf(sender, version, **kwargs) -> None:
    from reports.stored import drop_stored_pdfs

    drop_stored_pdfs(version)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # reviews and syntheses send these (they never import reports): a final version's
        # PDF is stored once, and dropped if the version is reopened.
        from reviews.signals import report_final, report_reopened

        report_final.connect(_store_pdf_after_commit, dispatch_uid="reports.store_final_pdf")
        report_reopened.connect(_drop_stored_pdf, dispatch_uid="reports.drop_stored_pdf")
