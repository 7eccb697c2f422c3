"""Signals other layers listen to, so that reviews never imports them.

``report_final``: a report version is final (sent when it is made final and again when it
is published), so its text can no longer change; ``reports`` stores its PDF.
``report_reopened``: a final version is no longer final (reopened before publication);
``reports`` drops the stored PDF. Both are sent with ``sender=FeedbackReport`` and
``version=<ReportVersion>`` inside the service's transaction, and by syntheses with
``sender=ComparativeReport`` and ``version=<ComparativeVersion>`` when a comparative report
is published or reopened.
"""

from django.dispatch import Signal

report_final = Signal()
report_reopened = Signal()
