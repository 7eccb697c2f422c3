"""Two people editing the same thing never silently overwrite each other.

Models that people edit together inherit `EditVersioned`; their ModelForms mix
in `VersionedFormMixin`, which carries the version the person started from in a
hidden field. `save_versioned(form)` saves only if nobody saved the row since;
otherwise it raises `EditConflict`, and the view shows both versions with
`conflict_context()` so the person chooses (the form keeps what they typed).
Views call `save_or_conflict()`, which does both: save, or answer 409 with the
conflict page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class EditVersioned(models.Model):
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    def __init__(self, current):
        super().__init__("saved by someone else in the meantime")
        self.current = current


class VersionedFormMixin:
    """For a ModelForm of an EditVersioned model: adds the hidden version it started from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 0 stands for "not saved yet": if someone saves the row meanwhile, it is at 1.
        self.fields["edit_version"] = forms.IntegerField(
            # Shown only if a tampered or truncated form comes back without it.
            label=_("Version of the page you started from"),
            widget=forms.HiddenInput,
            min_value=0,
            initial=self.instance.edit_version if self.instance.pk else 0,
        )


def save_versioned(form):
    """Save a valid versioned ModelForm, or raise EditConflict with the row as saved now."""
    instance = form.instance
    with transaction.atomic():
        if instance.pk is not None:
            current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            if current.edit_version != form.cleaned_data["edit_version"]:
                raise EditConflict(current)
            instance.edit_version = current.edit_version + 1
        return form.save()


def save_or_conflict(
    request, form, *, template: str, context: dict, save=None, twin=None, on_conflict=None
):
    """Save a valid versioned form, or render `template` with both versions (409).

    Returns ``(saved, None)``, or ``(None, response)`` when someone saved meanwhile; then
    nothing is saved and the form keeps what the person typed. `save(form)` replaces the
    plain `save_versioned(form)` when more must be written in the same transaction (it
    must call `save_versioned` itself). `twin`: for a form of a new row, the row someone
    else created meanwhile for the same thing (see `unique_twin`); it is a conflict too.
    `on_conflict(form)` runs before the conflict page is rendered (e.g. to keep a chosen
    file, which a browser cannot fill in again).
    """
    try:
        with transaction.atomic():
            if twin is not None:
                raise EditConflict(twin)
            saved = (save or save_versioned)(form)
    except EditConflict as conflict:
        context.update(conflict_context(form, conflict.current))
        if on_conflict is not None:
            on_conflict(form)
        return None, render(request, template, context, status=409)
    return saved, None


def save_all_versioned(pairs) -> list[tuple]:
    """Save several versioned forms together, all or nothing.

    `pairs` is a list of (form, twin) where twin is a row saved meanwhile by someone else
    for a form whose instance is new (else None). Returns the conflicts as (form, current);
    when there is any, nothing at all is saved.
    """
    conflicts = []
    with transaction.atomic():
        for form, twin in pairs:
            if twin is not None:
                conflicts.append((form, twin))
                continue
            try:
                with transaction.atomic():
                    save_versioned(form)
            except EditConflict as conflict:
                conflicts.append((form, conflict.current))
        if conflicts:
            transaction.set_rollback(True)
    return conflicts


@dataclass(frozen=True)
class Difference:
    label: str
    mine: str
    saved: str


def conflict_context(form, current) -> dict:
    """What differs between the person's input and the saved row, and the form made ready
    to save their version over it on purpose (its hidden version now matches the row)."""
    differences = []
    for name, field in form.fields.items():
        if name == "edit_version" or name not in form.cleaned_data:
            continue
        try:
            model_field = current._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field (e.g. tags) has no column to compare
            continue
        mine = form.cleaned_data[name]
        if model_field.many_to_many:  # compare the chosen rows, shown by their names
            mine = ", ".join(sorted(str(o) for o in mine or ()))
            saved = ", ".join(sorted(str(o) for o in getattr(current, model_field.name).all()))
            if mine != saved:
                differences.append(Difference(str(field.label), mine, saved))
            continue
        saved = getattr(current, model_field.name)
        mine_key = getattr(mine, "pk", mine)
        saved_key = getattr(saved, "pk", saved)
        if (mine_key or "") != (saved_key or ""):
            differences.append(Difference(str(field.label), _show(mine), _show(saved)))
    form.data = form.data.copy()
    form.data[form.add_prefix("edit_version")] = current.edit_version
    return {"conflict": differences, "form": form}


def _show(value) -> str:
    return "" if value is None else str(value)


def unique_twin(*fields: str):
    """For forms of new rows: find a row someone saved meanwhile with the same `fields`."""

    def find(form):
        instance = form.instance
        if instance.pk is not None:
            return None
        lookup = {name: getattr(instance, name) for name in fields}
        return type(instance)._default_manager.filter(**lookup).first()

    return find


def save_indicator_forms(forms, *, twin, after_save=None) -> tuple[list, list]:
    """Save the changed ones of a page of per-indicator forms, all or nothing.

    Returns (changed forms, conflicts as [(indicator, differences)]). `after_save(form)`
    runs for each saved form inside the same transaction (e.g. to store an attachment).
    """
    changed = [form for form in forms if form.has_changed()]
    with transaction.atomic():
        conflicts = save_all_versioned([(form, twin(form)) for form in changed])
        if not conflicts and after_save is not None:
            for form in changed:
                after_save(form)
    shown = [
        (form.indicator, conflict_context(form, current)["conflict"]) for form, current in conflicts
    ]
    return changed, shown
