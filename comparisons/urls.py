"""The learning across reviews, under /compare/."""

from django.urls import path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("network/", views.network, name="network"),
    path("reviews/", views.compare_chosen, name="chosen"),
    path("cities/<int:city>/", views.city, name="city"),
    path("programmes/<int:programme>/", views.matrix, name="matrix"),
    path("programmes/<int:programme>/open-data/", views.open_data_toggle, name="open_data_toggle"),
]
