"""Two-factor sign-in: who must use it, and a person's recovery codes.

The devices are django-otp's: an authenticator app is a `TOTPDevice` named "default" (what
django-two-factor-auth's sign-in asks for), recovery codes are the tokens of one
`StaticDevice`, each deleted when it is used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from two_factor.utils import default_device

from core.roles import is_coordinator

RECOVERY_CODE_COUNT = 10


def is_required_for(user) -> bool:
    """Coordinators see every review's evidence and the admin: with
    TWO_FACTOR_REQUIRED_FOR_COORDINATORS they may not work without a second factor."""
    return settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS and (
        is_coordinator(user) or bool(getattr(user, "is_superuser", False))
    )


def has_two_factor(user) -> bool:
    return default_device(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def issue_recovery_codes(user) -> list[str]:
    """New recovery codes for `user`; the old ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="backup", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        device.throttle_reset()
    return codes


def remove_two_factor(user) -> None:
    """Forget the authenticator app and the recovery codes: sign-in is by password again."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
    if hasattr(user, "_default_device"):  # two_factor.utils.default_device's cache
        del user._default_device
