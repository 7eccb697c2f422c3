from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cities.forms import ResetForm
from reviews.archive import ArchiveError, import_review


def reset_link(user) -> str:
    """A link that lets `user` choose a password (valid for PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def mail_reset_link(user) -> None:
    """Django's password reset e-mail, as the sign-in page's "Forgot your password?" sends it."""
    form = ResetForm({"email": user.email})
    form.is_valid()
    site = urlsplit(settings.SITE_URL)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")


class Command(BaseCommand):
    help = (
        "Load a .zip file written by export_review into this database, everything or "
        "nothing. Refused when the database has any review, or when the archive's manifest "
        "is missing, of another format version, or does not match its contents. Primary keys "
        "are kept. A row that exists here already with the same primary key and the same "
        "identity (its unique fields, such as a user's e-mail address or a benchmark's short "
        "name; all its fields when it has none) is kept as it is, with its own history: so "
        "benchmarks loaded by load_benchmarks in the same order are used, not duplicated. "
        "Any other clash (same key, another identity; or same identity, another key) stops "
        "the import with a list. Files are restored into media storage under their names. "
        "Every person added has no password (an archive never holds one; hashes in archives "
        "of older versions are ignored): the command prints a password reset link for each "
        "(valid for PASSWORD_RESET_TIMEOUT seconds, on SITE_URL), or with --send-reset "
        "e-mails each the reset link instead. People kept as they were here keep their "
        "password."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .zip file written by export_review.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and load, then roll back; save nothing."
        )
        parser.add_argument(
            "--send-reset",
            action="store_true",
            help="E-mail every person added a link to choose a password, instead of printing it.",
        )

    def handle(self, path, dry_run=False, send_reset=False, **options):
        try:
            result = import_review(path, dry_run=dry_run)
        except ArchiveError as error:
            raise CommandError(f"Nothing imported. {error}") from error
        rows = sum(n for label, n in result.inserted.items() if ".historical" not in label)
        history = sum(result.inserted.values()) - rows
        kept = sum(result.kept.values())
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.review} (review {result.review.pk}): {rows} rows, "
            f"{history} history rows, {result.files} files; {kept} rows were here already."
        )
        if dry_run or not result.people:
            return
        people = sorted(result.people, key=lambda user: user.email)
        if send_reset:
            for user in people:
                mail_reset_link(user)
            self.stdout.write(
                f"{len(people)} people added without a password; each was e-mailed a link "
                "to choose one."
            )
            return
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(
            f"{len(people)} people added without a password. Send each their link to choose "
            f"one (valid for {days} days); later they can use 'Forgot your password?' on the "
            "sign-in page:"
        )
        for user in people:
            self.stdout.write(f"{user.email} {reset_link(user)}")
