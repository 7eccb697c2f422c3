"""Every rendered output, mounted under /reviews/ at the same paths as the pages they print."""

from django.urls import path

from reports.views import (
    comparisons,
    evidence,
    feedback_report,
    follow_up,
    inception,
    syntheses,
    visit,
)

app_name = "reports"

urlpatterns = [
    path("<int:pk>/inception/report.pdf", inception.pdf, name="inception_pdf"),
    path("<int:pk>/visit/timetable.pdf", visit.timetable_pdf, name="timetable_pdf"),
    path("<int:pk>/visit/sessions/<int:session>/brief.pdf", visit.brief_pdf, name="brief_pdf"),
    path("<int:pk>/visit/my-schedule.ics", visit.schedule_ics, name="schedule_ics"),
    path("<int:pk>/evidence/export.<str:fmt>", evidence.export, name="evidence_export"),
    path("<int:pk>/report/report.pdf", feedback_report.pdf, name="report_pdf"),
    path("<int:pk>/report/report.docx", feedback_report.docx, name="report_docx"),
    path("public/<str:token>/", feedback_report.public, name="public_report"),
    path("public/<str:token>/report.pdf", feedback_report.public_pdf, name="public_report_pdf"),
    path("programmes/<int:programme>/spread.svg", comparisons.spread_svg, name="programme_spread"),
    path(
        "network/<int:programme>/spread.svg",
        comparisons.public_spread_svg,
        name="public_programme_spread",
    ),
    path("<int:pk>/network.svg", comparisons.review_network_svg, name="review_network"),
    path("cities/<int:city>/trend.svg", comparisons.city_trend_svg, name="city_trend"),
    path(
        "programmes/<int:programme>/ratings.<str:fmt>",
        comparisons.open_data,
        name="programme_open_data",
    ),
    path(
        "programmes/<int:programme>/comparative-report.pdf",
        syntheses.pdf,
        name="synthesis_pdf",
    ),
    path(
        "programmes/<int:programme>/comparative-report.docx",
        syntheses.docx,
        name="synthesis_docx",
    ),
    path(
        "network/<int:programme>/comparative-report.pdf",
        syntheses.public_pdf,
        name="public_synthesis_pdf",
    ),
    path("<int:pk>/action-plan.pdf", follow_up.action_plan_pdf, name="action_plan_pdf"),
    path("<int:pk>/action-plan.xlsx", follow_up.action_plan_xlsx, name="action_plan_xlsx"),
]
