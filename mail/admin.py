from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mail import delivery as mail_delivery
from mail.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [
        "recipient",
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False  # e-mails are written by the app, in each person's language

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the failed or interrupted ones again"))
    def send_again(self, request, queryset):
        chosen = [d for d in queryset if d.can_send_again]
        for delivery in chosen:
            mail_delivery.send_again(delivery)
        self.message_user(
            request,
            ngettext("%(n)s e-mail queued again.", "%(n)s e-mails queued again.", len(chosen))
            % {"n": len(chosen)},
            messages.SUCCESS,
        )
