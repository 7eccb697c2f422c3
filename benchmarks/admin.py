from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from benchmarks.models import Benchmark, BenchmarkVersion, Indicator


@admin.register(Benchmark)
class BenchmarkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "group_label", "value_label"]
    search_fields = ["name", "slug"]


@admin.register(BenchmarkVersion)
class BenchmarkVersionAdmin(SimpleHistoryAdmin):
    list_display = ["benchmark", "number", "status", "published_at", "published_by"]
    list_filter = ["status", "benchmark"]
    list_select_related = ["benchmark", "published_by"]
    readonly_fields = ["published_at", "published_by", "override_reason", "circulated_at"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "text", "version"]
    list_filter = ["version__benchmark", "version"]
    search_fields = ["code", "text_en", "text_nl"]
    list_select_related = ["version__benchmark"]
