"""The comparative report of a programme, under the programme's pages."""

from django.urls import path

from syntheses import views

app_name = "syntheses"

BASE = "programmes/<int:programme>/comparative-report/"

urlpatterns = [
    path(BASE, views.home, name="report"),
    path(f"{BASE}start/", views.start, name="start"),
    path(f"{BASE}assign/", views.assign, name="assign"),
    path(f"{BASE}chapters/<int:chapter>/", views.chapter_edit, name="chapter"),
    path(f"{BASE}chapters/<int:chapter>/new/", views.statement_edit, name="statement_add"),
    path(
        f"{BASE}chapters/<int:chapter>/statements/<int:statement>/",
        views.statement_edit,
        name="statement",
    ),
    path(
        f"{BASE}chapters/<int:chapter>/statements/<int:statement>/delete/",
        views.statement_delete,
        name="statement_delete",
    ),
    path(f"{BASE}freeze/", views.freeze, name="freeze"),
    path(f"{BASE}versions/<int:version>/", views.version_read, name="version"),
    path(f"{BASE}versions/<int:version>/approve/", views.approve, name="approve"),
    path(f"{BASE}publish/", views.publish, name="publish"),
    path(f"{BASE}reopen/", views.reopen, name="reopen"),
]
