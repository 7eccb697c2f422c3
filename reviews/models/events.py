"""What happened in a review (shown on its page) and what each person should look at
(shown on their dashboard)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models.review import Review


class ReviewEvent(models.Model):
    SUBMITTED = "inception_submitted"
    REOPENED = "inception_reopened"
    ADVANCED = "step_advanced"
    MOVED_BACK = "step_moved_back"
    RETENTION_ENDED = "interviewees_pseudonymised"
    PERSON_PSEUDONYMISED = "person_pseudonymised"
    VERB_CHOICES = [
        (SUBMITTED, _("submitted the inception report")),
        (REOPENED, _("reopened the inception report")),
        (ADVANCED, _("moved the review on a step")),
        (MOVED_BACK, _("moved the review back a step")),
        (
            RETENTION_ENDED,
            _("replaced the interviewees' names by their roles: the retention period ended"),
        ),
        (PERSON_PSEUDONYMISED, _("pseudonymised an interviewee on request")),
    ]

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=40, choices=VERB_CHOICES)
    note = models.TextField(_("note"), blank=True)
    # For a move between steps: the step the review moved to.
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()}"

    @property
    def sentence(self) -> str:
        """What happened, as one sentence of the review's history."""
        who = self.actor.name if self.actor else _("Someone")
        if self.verb == self.ADVANCED:
            return _("%(who)s moved the review on to step %(n)s.") % {"who": who, "n": self.step}
        if self.verb == self.MOVED_BACK:
            return _("%(who)s moved the review back to step %(n)s.") % {"who": who, "n": self.step}
        if self.verb == self.SUBMITTED:
            return _("%(who)s submitted the inception report.") % {"who": who}
        return _("%(who)s reopened the inception report.") % {"who": who}

    @property
    def note_label(self) -> str:
        if self.verb == self.ADVANCED:
            return _("Still missing then:")
        return _("Reason:")


class NotificationQuerySet(models.QuerySet):
    def unread_for(self, user) -> NotificationQuerySet:
        return self.filter(user=user, read_at__isnull=True).select_related("review")


class Notification(models.Model):
    """One thing for one person to look at. `message` is the untranslated message id and
    `params` fill it in, so the dashboard says it in the language the reader reads in now;
    `text` is what it said in the recipient's language when it was sent (all that rows from
    before `message` have). `review` is empty for news about a programme's work, such as its
    comparative report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    text = models.CharField(max_length=300)
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        """The notification in the current language."""
        if not self.message:
            return self.text
        values = dict(self.params)
        try:
            for key in values.pop("_dates", []):
                values[key] = date_format(datetime.date.fromisoformat(values[key]), "DATE_FORMAT")
            return gettext(self.message) % values
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return self.text
