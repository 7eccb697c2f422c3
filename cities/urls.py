from django.contrib.auth import views as auth_views
from django.urls import include, path
from two_factor.views import QRGeneratorView

from cities import two_factor_views, views
from cities.forms import ResetForm

# The namespace is django-two-factor-auth's: its views reverse "two_factor:setup" and others.
two_factor_patterns = [
    path("", two_factor_views.OverviewView.as_view(), name="profile"),
    path("set-up/", two_factor_views.SetupView.as_view(), name="setup"),
    path("set-up/qr-code/", QRGeneratorView.as_view(), name="qr"),
    path("recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
    path("remove/", two_factor_views.DisableView.as_view(), name="disable"),
]

urlpatterns = [
    path("login/", two_factor_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=ResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("two-factor/", include((two_factor_patterns, "two_factor"))),
]
