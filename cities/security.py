"""The visitor's address for sign-in throttling (django-axes), also behind reverse proxies."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """`REMOTE_ADDR`, or behind `TRUSTED_PROXIES` reverse proxies the address the outermost
    one saw. Each proxy appends the address it received from to X-Forwarded-For, so the
    client is that many entries from the end; anything before it could be forged."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    return forwarded[-hops] if len(forwarded) >= hops else remote
