from django.urls import path

from mail import views

app_name = "mail"

urlpatterns = [
    path("", views.deliveries, name="deliveries"),
    path("<int:pk>/send-again/", views.send_again, name="send_again"),
]
