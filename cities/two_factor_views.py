"""Signing in with a second factor, and setting it up: django-two-factor-auth's views with
the app's e-mail sign-in, forms that count wrong codes with django-axes, recovery codes
shown once, and a removal that says what goes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from two_factor import views as two_factor

from cities.forms import (
    AuthenticatorSetupForm,
    EmailAuthenticationForm,
    SignInCodeForm,
    SignInRecoveryCodeForm,
)
from cities.two_factor import (
    has_two_factor,
    is_required_for,
    issue_recovery_codes,
    recovery_codes_left,
    remove_two_factor,
)

# Where new recovery codes wait, between the POST that makes them and the one page that
# shows them.
NEW_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


SIGN_IN_FORMS = {
    two_factor.LoginView.AUTH_STEP: EmailAuthenticationForm,
    two_factor.LoginView.TOKEN_STEP: SignInCodeForm,
    two_factor.LoginView.BACKUP_STEP: SignInRecoveryCodeForm,
}


class LoginView(two_factor.LoginView):
    """/accounts/login/: e-mail and password, then, for people who set up two-factor sign-in,
    a code from their app or one of their recovery codes."""

    template_name = "registration/login.html"
    form_list = tuple(SIGN_IN_FORMS.items())
    redirect_authenticated_user = True

    def get_form_list(self):
        # The library swaps in its own code form by device type; keep ours.
        form_list = super().get_form_list()
        for step in form_list:
            form_list[step] = SIGN_IN_FORMS[step]
        return form_list

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["next"] = self.get_redirect_url()
        return context


class SetupView(two_factor.SetupView):
    """A short introduction, then the QR code (or the secret to type) and a code from the app.
    Done, it issues recovery codes and shows them once."""

    template_name = "cities/two_factor/setup.html"
    success_url = "two_factor:profile"  # where someone who has it already is sent

    def post(self, request, *args, **kwargs):
        # The library checks on GET only; a second app would otherwise verify this session.
        if has_two_factor(request.user):
            return redirect(self.success_url)
        return super().post(request, *args, **kwargs)

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = AuthenticatorSetupForm
        return form_list

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["cancel_url"] = reverse("two_factor:profile")
        context["next"] = _safe_next(self.request)
        return context

    def done(self, form_list, **kwargs):
        super().done(form_list, **kwargs)  # saves the device; this session counts as verified
        user = self.request.user
        self.request.session[NEW_CODES_SESSION_KEY] = issue_recovery_codes(user)
        messages.success(self.request, _("Two-factor sign-in is on."))
        url = reverse("two_factor:recovery_codes")
        target = _safe_next(self.request)
        return redirect(f"{url}?{urlencode({'next': target})}" if target else url)


class OverviewView(two_factor.ProfileView):
    """Whether two-factor sign-in is on, recovery codes left, and the ways to change it."""

    template_name = "cities/two_factor/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = is_required_for(self.request.user)
        return context


@never_cache
@login_required
def recovery_codes(request):
    """New codes are shown once, right after they are made; afterwards only how many are left.
    Making new ones (POST) replaces the old ones."""
    if not request.user.is_verified():  # signed in without a code: nothing to change here
        return redirect("two_factor:profile")
    if request.method == "POST":
        request.session[NEW_CODES_SESSION_KEY] = issue_recovery_codes(request.user)
        messages.success(request, _("New recovery codes are made; the old ones stop working."))
        return redirect("two_factor:recovery_codes")
    context = {
        "new_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "codes_left": recovery_codes_left(request.user),
        "continue_url": _safe_next(request) or resolve_url("two_factor:profile"),
    }
    return render(request, "cities/two_factor/recovery_codes.html", context)


@method_decorator(login_required, name="dispatch")
class DisableView(two_factor.DisableView):
    """The confirmation page for removing two-factor sign-in: says what goes. Where it is
    required (coordinators in production), it explains why it cannot be removed."""

    template_name = "cities/two_factor/remove.html"
    form_class = forms.Form
    success_url = reverse_lazy("two_factor:profile")  # also where unverified people go

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = is_required_for(self.request.user)
        context["codes_left"] = recovery_codes_left(self.request.user)
        return context

    def form_valid(self, form):
        if is_required_for(self.request.user):
            raise PermissionDenied
        remove_two_factor(self.request.user)
        messages.success(self.request, _("Two-factor sign-in is off."))
        return redirect(self.success_url)
