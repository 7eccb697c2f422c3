from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/status.json", views.status, name="status"),
    path("<uuid:pk>/result", views.result, name="result"),
]
