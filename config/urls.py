from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from cities import views as city_views
from config.health import health
from reviews.views import cities as city_pages

admin.site.site_header = "Critical Friend"
admin.site.site_title = "Critical Friend"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reviews:dashboard", permanent=False), name="home"),
    path("accounts/", include("cities.urls")),
    path("cities/", city_views.city_list, name="cities"),
    path("cities/new/", city_views.city_create, name="city_create"),
    path("cities/<int:pk>/", city_pages.city_detail, name="city"),
    path("cities/<int:pk>/edit/", city_views.city_edit, name="city_edit"),
    path("people/", city_pages.people, name="people"),
    path("people/<int:pk>/city/", city_pages.person_city, name="person_city"),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("syntheses.urls")),
    path("reviews/", include("reports.urls")),
    path("benchmarks/", include("benchmarks.urls")),
    path("library/", include("practices.urls")),
    path("compare/", include("comparisons.urls")),
    path("mail/", include("mail.urls")),
    path("jobs/", include("jobs.urls")),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "config.errors.page_not_found"
handler403 = "config.errors.permission_denied"
handler500 = "config.errors.server_error"
