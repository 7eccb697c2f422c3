"""The languages the interface and the translated content come in (settings.LANGUAGES)."""

from __future__ import annotations

from django.conf import settings

LANGS: list[str] = [code for code, _name in settings.LANGUAGES]
