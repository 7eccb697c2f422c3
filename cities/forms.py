from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from cities.models import User
from core.versioning import VersionedFormMixin


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        fields = ["name", "initials", "city_role", "preferred_language"]

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
