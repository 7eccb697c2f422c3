"""The reason stored with a history row fits its column (100 characters) on every database:
SQLite never checks the length, PostgreSQL refuses a longer value and the save with it. The
whole reason a person typed is kept where they typed it (the row's own reason field)."""

from __future__ import annotations

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


@receiver(pre_create_historical_record)
def fit_change_reason(sender, history_instance, **kwargs) -> None:
    reason = history_instance.history_change_reason
    limit = history_instance._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        history_instance.history_change_reason = reason[: limit - 1] + "…"
