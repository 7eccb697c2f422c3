from django.urls import path

from practices import views

app_name = "practices"

urlpatterns = [
    path("", views.library, name="library"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/unpublish/", views.unpublish, name="unpublish"),
]
