"""A signed-in person's preferred language; two-factor sign-in where it is required."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cities.two_factor import has_two_factor, is_required_for


class PreferredLanguageMiddleware:
    """Use a signed-in person's preferred language unless they picked one in the switcher."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With TWO_FACTOR_REQUIRED_FOR_COORDINATORS, a coordinator reaches no page without a
    second factor: without an authenticator app they are sent to set one up; with one, a
    session that was not verified by a code (signed in before they set it up, in another
    browser) is ended and they sign in again."""

    # Pages a coordinator may open on the way: signing in and out, the set-up, the language.
    OPEN = frozenset({"login", "logout", "set_language", "two_factor:setup", "two_factor:qr"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and is_required_for(user)) or user.is_verified():
            return None
        if request.resolver_match.view_name in self.OPEN:
            return None
        if has_two_factor(user):
            logout(request)
            messages.info(request, _("Sign in again with a code from your authenticator app."))
            return redirect_to_login(request.get_full_path())
        setup = reverse("two_factor:setup")
        return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
