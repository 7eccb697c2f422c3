"""The coordinators' page of e-mails that did not go out, and "send again"."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.confirm import Confirmation, confirm_page
from mail import delivery as mail_delivery
from mail.models import Delivery

SHOWN = 100


def _coordinators_only(request) -> None:
    if not request.user.has_perm("mail.see_deliveries"):
        raise PermissionDenied


@login_required
def deliveries(request):
    _coordinators_only(request)
    now = timezone.now()
    week = now - datetime.timedelta(days=7)
    return render(
        request,
        "mail/deliveries.html",
        {
            "attention": Delivery.objects.needing_attention(now).select_related("recipient")[
                :SHOWN
            ],
            "waiting": Delivery.objects.filter(status=Delivery.QUEUED).select_related("recipient")[
                :SHOWN
            ],
            "sent_this_week": Delivery.objects.filter(
                status=Delivery.SENT, sent_at__gte=week
            ).count(),
        },
    )


@login_required
def send_again(request, pk: int):
    """GET: what sending again means; POST: queue a fresh round of attempts."""
    _coordinators_only(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    if request.method == "POST" and delivery.can_send_again:
        mail_delivery.send_again(delivery)
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": delivery.to})
        return redirect("mail:deliveries")
    notes = []
    if delivery.interrupted:
        notes.append(
            _(
                "Its last attempt was interrupted: the mail server may have taken it, so the "
                "person may get it twice."
            )
        )
    return confirm_page(
        request,
        Confirmation(
            title=_("Send this e-mail again?"),
            confirm_label=_("Send again"),
            cancel_url=reverse("mail:deliveries"),
            lead=_("A worker tries again now, and again later if the mail server still fails."),
            items_label=_("The e-mail"),
            items=[delivery.to, delivery.subject, delivery.last_error or "—"],
            notes=notes,
            blockers=[]
            if delivery.can_send_again
            else [
                _("This e-mail is not failed: it is %(status)s.")
                % {"status": delivery.get_status_display().lower()}
            ],
            danger=False,
        ),
        template="mail/confirm.html",
    )
