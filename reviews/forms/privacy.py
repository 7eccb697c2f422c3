"""The network's retention period for interviewees' names."""

from __future__ import annotations

from django import forms

from core.forms import HelperMixin
from core.versioning import VersionedFormMixin
from reviews.models import PrivacySettings


class PrivacySettingsForm(VersionedFormMixin, HelperMixin, forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = ["retention_months"]
