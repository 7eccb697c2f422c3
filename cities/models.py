"""Cities and the people who work for them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import EditVersioned


class City(EditVersioned):
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=80)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages spoken at work, comma-separated."),
    )
    profile = models.TextField(_("short profile"), blank=True)
    # Names in each language: cities/translation.py (history is registered there too).

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            # On the English names: the untranslated columns hold whichever language the
            # row was last saved in.
            models.UniqueConstraint(
                fields=["name_en", "country_en"], name="city_unique_name_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_superuser=True, is_coordinator=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


initials_validator = RegexValidator(
    r"^[A-Z]{1,4}$", _("Use one to four capital letters, as in evidence codes (JB & FC).")
)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    Coordinators (network staff) are the one global role; every other role is
    held per review (see reviews.models.Membership).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150)
    initials = models.CharField(
        _("initials"),
        max_length=4,
        validators=[initials_validator],
        help_text=_("Used in evidence codes, e.g. JB & FC."),
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    CITY_ROLE_CHOICES = [
        ("integration_coordinator", _("Integration coordinator")),
        ("contributor", _("Contributor")),
        ("politician", _("Politician")),
        ("network_staff", _("Network staff")),
    ]
    city_role = models.CharField(
        _("role in the city"), max_length=30, choices=CITY_ROLE_CHOICES, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    wants_reminders = models.BooleanField(
        _("remind me of due dates"),
        default=True,
        help_text=_(
            "By e-mail and on your dashboard, a few days before something of yours is due."
        ),
    )
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Network staff: define benchmarks, open reviews, see every review."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name", "initials"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:  # the admin is open to coordinators
        return self.is_active and (self.is_coordinator or self.is_superuser)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.initials or self.name
