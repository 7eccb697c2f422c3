from django.urls import path, register_converter

from benchmarks import views

app_name = "benchmarks"


class ChoiceConverter:
    choices: tuple[str, ...] = ()

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _converter(name: str, *choices: str) -> str:
    cls = type(name, (ChoiceConverter,), {"regex": "|".join(choices), "choices": choices})
    register_converter(cls, name)
    return name


_converter("part", "group", "value", "indicator", "term", "tagtype")
_converter("direction", "up", "down")
_converter("fmt", "json", "xlsx")

V = "<slug:slug>/v<int:number>/"

urlpatterns = [
    path("", views.benchmark_list, name="list"),
    path("new/", views.benchmark_create, name="create"),
    path("import/", views.benchmark_import, name="import_new"),
    path("<slug:slug>/", views.benchmark_detail, name="benchmark"),
    path("<slug:slug>/import/", views.benchmark_import, name="import"),
    path("<slug:slug>/compare/", views.version_compare, name="compare"),
    path(V, views.version_detail, name="version"),
    path(V + "indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path(V + "indicators/<int:pk>/comment/", views.indicator_comment, name="comment"),
    path(V + "<part:kind>/add/", views.part_edit, name="part_add"),
    path(V + "<part:kind>/<int:pk>/edit/", views.part_edit, name="part_edit"),
    path(V + "<part:kind>/<int:pk>/delete/", views.part_delete, name="part_delete"),
    path(V + "<part:kind>/<int:pk>/move/<direction:direction>/", views.part_move, name="part_move"),
    path(V + "scales/<int:pk>/edit/", views.scale_edit, name="scale_edit"),
    path(V + "publish/", views.version_publish, name="publish"),
    path(V + "new-draft/", views.version_new_draft, name="new_draft"),
    path(V + "circulate/", views.version_circulate, name="circulate"),
    path(V + "approve/", views.version_approve, name="approve"),
    path(V + "export.<fmt:fmt>", views.version_export, name="export"),
]
