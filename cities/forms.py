from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
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


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "initials", "city", "city_role", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = self.fields["city"].queryset.order_by("name")
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
