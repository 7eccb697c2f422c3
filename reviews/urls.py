from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("all/", views.all_reviews, name="all"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/steps/<int:number>/", views.step_detail, name="step"),
    path("<int:pk>/advance/", views.advance_step, name="advance"),
]
