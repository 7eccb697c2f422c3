"""Step 7 after publication, printed: the city's action plan as PDF and XLSX. Both draw the
same rows and columns as its page (`reviews.services.follow_up`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from reports.responses import pdf_response
from reports.spreadsheets import xlsx_response
from reviews.access import review_view
from reviews.models import Review
from reviews.services.follow_up import ACTION_PLAN_COLUMNS, action_plan_sheet, plan_context


@review_view("reviews.see_action_plan")
def action_plan_pdf(request, review: Review):
    return pdf_response(
        request,
        template="reports/action_plan_pdf.html",
        context=plan_context(review=review, user=request.user),
        filename=f"action-plan-{review.pk}.pdf",
        review=review,
        read_url=reverse("reviews:action_plan", args=[review.pk]),
    )


@review_view("reviews.see_action_plan")
def action_plan_xlsx(request, review: Review):
    header, rows = action_plan_sheet(plan_context(review=review, user=request.user))
    sheet_keys = [c.key for c in ACTION_PLAN_COLUMNS if c.sheet]
    return xlsx_response(
        f"action-plan-{review.pk}.xlsx",
        _("Action plan"),
        header,
        rows,
        date_columns=[sheet_keys.index("deadline")],
    )
