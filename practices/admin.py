from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import Practice, PracticeIndicator, Tag


class PracticeIndicatorInline(admin.TabularInline):
    model = PracticeIndicator
    extra = 0
    fields = ["code", "benchmark", "lineage"]


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "programme", "state", "published_at"]
    list_filter = ["state", "programme", "theme"]
    search_fields = ["slug", "title_en", "title_nl", "organisation"]
    filter_horizontal = ["cities", "tags"]
    raw_id_fields = ["review", "finding"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [PracticeIndicatorInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_nl"]
