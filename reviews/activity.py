"""When a review last saw activity: the newest change of any of its rows, in one query.

The source is django-simple-history: every row people edit in a review keeps its history,
and each history row has `history_date` (a save, a deletion, a change of a many-to-many
field such as who attended a training). Rows without history but with a time stamp of
their own (an uploaded file, a move between steps, a notification) count by that stamp.
Each such model reaches its review through its foreign keys (a desk review entry through
its desk review, a progress update through its response, recommendation, section and
report); the paths are found from the models, so a model added to `reviews` later counts
without changing this module. A programme's joint training belongs to no one review and
does not count.

One UNION ALL of a grouped query per model: the number of queries does not grow with the
number of reviews (the programme board pins it).
"""

from __future__ import annotations

import datetime
import functools

from django.apps import apps
from django.db import models
from django.db.models import F, Max

Source = tuple[type[models.Model], str, str]  # (model, path to the review's id, time field)


def _path_to_review(model, review_model) -> str | None:
    """The shortest chain of foreign keys from `model` to a review, e.g. "report__review"."""
    if model is review_model:
        return "pk"
    frontier = [(model, "")]
    seen = {model}
    for _depth in range(6):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not field.is_relation or field.related_model in seen:
                    continue
                target = field.related_model
                if target is review_model:
                    return f"{prefix}{field.name}"
                if target._meta.app_label == review_model._meta.app_label:
                    seen.add(target)
                    following.append((target, f"{prefix}{field.name}__"))
        frontier = following
    return None


def _stamp(model) -> str | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            return field.name
    return None


@functools.cache
def sources() -> tuple[Source, ...]:
    """(model, path to the review, time field) for every model that records activity."""
    review_model = apps.get_model("reviews", "Review")
    history_models = set()
    for model in apps.get_models():
        attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if attr:
            history = getattr(model, attr).model
            history_models.add(history)
            history_models.update(
                getattr(history, f.name).model for f in history._history_m2m_fields
            )
    found = []
    for model in apps.get_app_config("reviews").get_models():
        if model in history_models or model._meta.auto_created:
            continue
        path = _path_to_review(model, review_model)
        if path is None:
            continue
        attr = getattr(model._meta, "simple_history_manager_attribute", None)
        if attr:
            history = getattr(model, attr).model
            history_path = "id" if path == "pk" else path
            found.append((history, history_path, "history_date"))
        elif stamp := _stamp(model):
            found.append((model, path, stamp))
    return tuple(found)


def last_activity(review_ids) -> dict[int, datetime.datetime]:
    """Review id -> the time of the newest change of any of its rows (absent: none)."""
    ids = list(review_ids)
    if not ids:
        return {}
    parts = [
        model._base_manager.filter(**{f"{path}__in": ids})
        .order_by()
        .values(cf_review=F(path))
        .annotate(cf_at=Max(stamp))
        .values_list("cf_review", "cf_at")
        for model, path, stamp in sources()
    ]
    found: dict[int, datetime.datetime] = {}
    for review_id, at in parts[0].union(*parts[1:], all=True):
        if at is not None and (review_id not in found or at > found[review_id]):
            found[review_id] = at
    return found


def backdate(review_id: int, when: datetime.datetime) -> None:
    """Move every activity of a review to `when` (the demo's earlier reviews happened then)."""
    for model, path, stamp in sources():
        model._base_manager.filter(**{path: review_id}).update(**{stamp: when})
