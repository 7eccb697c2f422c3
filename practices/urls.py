from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("", views.library, name="library"),
    path("export.<str:fmt>", views.export, name="export"),
    path("new/", views.new, name="new"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/approve/", views.approve, name="approve"),
    path("<slug:slug>/reopen/", views.reopen, name="reopen"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/unpublish/", views.unpublish, name="unpublish"),
]
