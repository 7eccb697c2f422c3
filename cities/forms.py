from __future__ import annotations

import re

from axes.handlers.proxy import AxesProxyHandler
from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp.forms import OTPAuthenticationFormMixin
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm, TOTPDeviceForm

from cities.models import User
from core.versioning import VersionedFormMixin


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    # Named, so that the sign-in wizard passes the request on (django-axes needs it).
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


CODE_ATTRS = {"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}


class _CodeCountsAsSignInAttempt:
    """The second step of signing in: a wrong code counts as a failed sign-in with
    django-axes, as a wrong password does, so guessing codes locks the account and the
    address out the same way (django-otp's growing delay after each wrong code applies too).
    """

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the code."),
        "invalid_token": _("This code is not right. Check it and try again."),
        "n_failed_attempts": ngettext_lazy(
            "After %(failure_count)d wrong code, wait a moment before you try again.",
            "After %(failure_count)d wrong codes, wait a moment before you try again.",
            "failure_count",
        ),
        "verification_not_allowed": _("Codes cannot be checked right now. Try again soon."),
    }

    def __init__(self, user, initial_device, request=None, **kwargs):
        super().__init__(user, initial_device, **kwargs)
        self.request = request
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        credentials = {settings.AXES_USERNAME_FORM_FIELD: self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            self.request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
            raise forms.ValidationError(_("Too many sign-in attempts."))
        try:
            return super().clean()
        except forms.ValidationError:
            if self.cleaned_data.get("otp_token"):
                user_login_failed.send(
                    sender=type(self), credentials=credentials, request=self.request
                )
            raise


class SignInCodeForm(_CodeCountsAsSignInAttempt, AuthenticationTokenForm):
    otp_token = forms.CharField(
        label=_("Code"),
        help_text=_("The 6 digits your authenticator app shows for Critical Friend."),
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits of the code."))
        return code


class SignInRecoveryCodeForm(_CodeCountsAsSignInAttempt, BackupTokenForm):
    otp_token = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor sign-in."),
        widget=forms.TextInput(attrs={**CODE_ATTRS, "autocapitalize": "none"}),
    )

    def clean_otp_token(self) -> str:
        return "".join(self.cleaned_data["otp_token"].split()).lower()


class AuthenticatorSetupForm(TOTPDeviceForm):
    """The code that proves the app was set up with the secret shown."""

    token = forms.IntegerField(
        label=_("Code"),
        help_text=_("The 6 digits the app shows after you added Critical Friend."),
        min_value=0,
        max_value=999_999,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )
    error_messages = {"invalid_token": _("This code is not right. Check it and try again.")}

    # The set-up wizard passes `key`, `user` and `metadata` when the signature names them.
    def __init__(self, key, user, metadata=None, **kwargs):
        super().__init__(key, user, metadata=metadata, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ResetForm(PasswordResetForm):
    """Django's reset form, also for people who have no usable password yet.

    Django leaves them out for accounts that sign in elsewhere; here every account signs
    in with a password, and people imported from a review archive start without one.
    """

    def get_users(self, email):
        return User._default_manager.filter(email__iexact=email, is_active=True)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        # Not the city: it decides conflicts of interest, so a coordinator sets it.
        fields = ["name", "initials", "city_role", "preferred_language", "wants_reminders"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_initials(self) -> str:
        return self.cleaned_data["initials"].strip().upper()


class CityForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        from cities.models import City

        model = City
        fields = ["name", "country", "population", "languages", "profile"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        # Name and country are edited in the reader's language (cities/translation.py); the
        # database's own check is on the English names, so ask in this language here.
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if name and country:
            others = type(self.instance).objects.exclude(pk=self.instance.pk)
            if others.filter(name__iexact=name, country__iexact=country).exists():
                raise forms.ValidationError(
                    _("A city with this name and country already exists."), code="unique"
                )
        return cleaned
