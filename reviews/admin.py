from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import Membership, Review


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["title", "host_city", "current_step", "visit_start", "visit_end", "report_due"]
    list_filter = ["current_step", "host_city"]
    search_fields = ["title", "host_city__name"]
    list_select_related = ["host_city"]
    date_hierarchy = "visit_start"
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "is_host_lead", "review"]
    list_filter = ["role"]
    search_fields = ["user__name", "user__email", "review__title"]
    list_select_related = ["user", "review"]
    autocomplete_fields = ["user", "review"]
