"""A text written together, frozen into versions that every author approves.

The feedback report of a review and the comparative report of a programme work the same
way: people edit rows; freezing takes a snapshot (`FrozenVersion.content`); each person the
document names (`approvers()`) approves that snapshot or comments; any change to a row
afterwards supersedes the waiting version and its approvals with it (`GuardedRow`), so the
next freeze makes a new version. A final version can no longer change.

A document model mixes in `VersionedDocument` and has a ``versions`` relation to its
`FrozenVersion` subclass (its foreign key to the document is named ``report``), whose approvals (``approvals``, a `VersionApproval` subclass with
``version`` and ``peer``) are recorded through `record_approval`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import HelperMixin
from core.versioning import EditVersioned


class DocumentLocked(ValidationError):
    pass


class FrozenVersion(models.Model):
    """A snapshot of a document's text, waiting for approvals, superseded, or final."""

    FROZEN, SUPERSEDED, FINAL = "frozen", "superseded", "final"
    STATE_CHOICES = [
        (FROZEN, _("Waiting for approvals")),
        (SUPERSEDED, _("Superseded by a change")),
        (FINAL, _("Final")),
    ]
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=STATE_CHOICES, default=FROZEN)
    frozen_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)
    content = models.JSONField()

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return str(_("Version %(n)s") % {"n": self.number})

    def waiting_for(self) -> list:
        """The document's approvers who have not approved this version (yet)."""
        approved = set(self.approvals.filter(approves=True).values_list("peer_id", flat=True))
        return [p for p in self.report.approvers() if p.pk not in approved]


class VersionApproval(models.Model):
    """One approver's decision on a version: approves, or comments on what should change."""

    approves = models.BooleanField()
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.peer}: {'approves' if self.approves else 'comments'}"


class VersionedDocument:
    """For the document model: its versions' state, freezing, and superseding on change."""

    locked_message = _("The report is final; its text can no longer change.")

    def approvers(self) -> list:  # pragma: no cover - each document says who approves
        raise NotImplementedError

    @property
    def latest_version(self):
        if "_latest" not in self.__dict__:
            self.__dict__["_latest"] = self.versions.order_by("-number").first()
        return self.__dict__["_latest"]

    @property
    def pending_version(self):
        """The frozen version waiting for approvals, if the text has not changed since."""
        latest = self.latest_version
        return latest if latest and latest.state == FrozenVersion.FROZEN else None

    @property
    def final_version(self):
        latest = self.latest_version
        return latest if latest and latest.state == FrozenVersion.FINAL else None

    @property
    def is_final(self) -> bool:
        return self.final_version is not None

    def forget(self) -> None:
        self.__dict__.pop("_latest", None)

    def guard_change(self) -> None:
        """Before a change of content: refuse once final; else the frozen version (and
        its approvals) is superseded, so the next freeze makes a new version."""
        if self.is_final:
            raise DocumentLocked(self.locked_message)
        pending = self.pending_version
        if pending is not None:
            pending.state = FrozenVersion.SUPERSEDED
            pending.superseded_at = timezone.now()
            pending.save(update_fields=["state", "superseded_at"])
        self.forget()

    @transaction.atomic
    def freeze(self, *, by, content: dict):
        if self.is_final:
            raise DocumentLocked(self.locked_message)
        if self.pending_version is not None:
            raise ValidationError(
                _("Version %(n)s is already frozen and waiting for approvals.")
                % {"n": self.pending_version.number}
            )
        number = (self.latest_version.number if self.latest_version else 0) + 1
        version = self.versions.create(number=number, frozen_by=by, content=content)
        self.forget()
        return version


class GuardedRow(EditVersioned):
    """A row of a document's text: saving it (or, with `guarded_fields`, changing one of
    those fields) or deleting it supersedes the document's waiting version."""

    guarded_fields: tuple[str, ...] | None = None

    class Meta:
        abstract = True

    def document(self) -> VersionedDocument:  # pragma: no cover - each row names its document
        raise NotImplementedError

    def _changes_guarded(self) -> bool:
        if self.guarded_fields is None:
            return True
        if self.pk is None:
            return False
        before = type(self)._default_manager.filter(pk=self.pk).values(*self.guarded_fields)
        before = before.first()
        return bool(before) and any(
            before[name] != getattr(self, name) for name in self.guarded_fields
        )

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self._changes_guarded():
                self.document().guard_change()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            self.document().guard_change()
            return super().delete(*args, **kwargs)


class AuthorsForm(HelperMixin, forms.Form):
    """Who writes each part of a document (its sections, its chapters), among `people`; a
    part may have nobody yet. Each part's field is ``<part_prefix><part pk>``, labelled with
    the part's name."""

    part_prefix = "p"

    def __init__(self, *args, parts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.author_choices = [("", _("Nobody yet"))] + [(str(p.pk), p.name) for p in people]
        self.people = {str(p.pk): p for p in people}
        self.parts = list(parts)
        for part in self.parts:
            self.fields[f"{self.part_prefix}{part.pk}"] = self.author_field(
                str(part), part.assignee_id
            )

    def author_field(self, label, current_pk) -> forms.ChoiceField:
        return forms.ChoiceField(
            label=label, choices=self.author_choices, required=False, initial=str(current_pk or "")
        )

    def person(self, name: str):
        return self.people.get(self.cleaned_data.get(name) or "")

    def assignments(self) -> dict:
        """{part: person or None} as chosen."""
        return {part: self.person(f"{self.part_prefix}{part.pk}") for part in self.parts}


class ApprovalForm(HelperMixin, forms.Form):
    approves = forms.TypedChoiceField(
        label=_("Your decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("I approve this version")), ("no", _("I have comments"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("approves") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should change, so the team can act on it."))
        return data


def record_approval(*, version, by, approves: bool, comment: str):
    """`by`'s decision on `version` (a later decision replaces an earlier one). The caller
    checks first that the version is still waiting (`state == FROZEN`)."""
    approval, _created = version.approvals.update_or_create(
        peer=by, defaults={"approves": approves, "comment": comment}
    )
    return approval


def record_decision(request, *, version, form: ApprovalForm):
    """The signed-in person's decision from a valid `form`, recorded and confirmed to them."""
    approves = form.cleaned_data["approves"]
    approval = record_approval(
        version=version, by=request.user, approves=approves, comment=form.cleaned_data["comment"]
    )
    if approves:
        messages.success(request, gettext("You approved version %(n)s.") % {"n": version.number})
    else:
        messages.success(
            request,
            gettext("Your comments on version %(n)s are recorded.") % {"n": version.number},
        )
    return approval
