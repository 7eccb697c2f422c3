"""Settings for Critical Friend, read from the environment (see .env.example).

DJANGO_ENV=development (default) runs locally on SQLite with a dev secret key.
DJANGO_ENV=production refuses to start without a real SECRET_KEY and turns on
HTTPS-only cookies, HSTS and the SSL redirect.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap as xstatic_bootstrap
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

ENVIRONMENT = env_choice("DJANGO_ENV", "development", ("development", "production", "test"))
PRODUCTION = ENVIRONMENT == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-change-me-for-any-real-deployment"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SECRET_KEY set to a long random value, not the dev key."
    )

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "mail",
    "jobs",
    "cities",
    "benchmarks",
    "reviews",
    "practices",
    "comparisons",
    "syntheses",
    "reports",
]

MIDDLEWARE = [
    # Outermost: every response, also the ones the middleware below answers, is private.
    "core.middleware.PrivateNoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # GET, HEAD and POST only, before a session is loaded or a view runs.
    "core.middleware.AllowedMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cities.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cities.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite file under var/ by default, anything else through DATABASE_URL.
SQLITE_OPTIONS = {
    # IMMEDIATE transactions and a busy timeout avoid "database is locked" under
    # concurrent saves; WAL lets readers and one writer work at the same time.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "critical-friend.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in-memory test database

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts
AUTH_USER_MODEL = "cities.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "cities.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# An address and an account are each locked after too many failures.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Reverse proxies in front of the app (each appends to X-Forwarded-For): axes must see the
# visitor's address, not the proxy's, or one person's failures would lock everyone out.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "cities.security.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# The sign-in wizard prefixes its fields by step; axes keeps the POST of a failed attempt,
# so it must mask the password and the codes under these names.
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_SENSITIVE_PARAMETERS = ["auth-password", "token-otp_token", "backup-otp_token"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- The public network page (/compare/network/): search engines are asked not to index it
# (meta robots noindex and X-Robots-Tag) unless NOINDEX_PUBLIC_PAGES=false; some networks
# want to be found, others not.
NOINDEX_PUBLIC_PAGES = env_bool("NOINDEX_PUBLIC_PAGES", True)

# --- Two-factor sign-in (django-two-factor-auth on django-otp): an authenticator app (TOTP)
# and recovery codes, optional for everyone. Required for coordinators (and superusers) by
# default in production: they reach no page before they have set it up and used it.
TWO_FACTOR_REQUIRED_FOR_COORDINATORS = env_bool("TWO_FACTOR_REQUIRED_FOR_COORDINATORS", PRODUCTION)
TWO_FACTOR_LOGIN_TIMEOUT = 600  # seconds between the password and the code
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # no "trust this browser": a code at every sign-in
# The admin's sign-in page sends people to ours, so it cannot skip the code step.
TWO_FACTOR_PATCH_ADMIN = True
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key

# --- Languages and time
LANGUAGE_CODE = "en"
# Each language in its own name, whatever the interface is in: a reader finds their own.
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
# Dates day-first with the month in words and a 24-hour clock, in every language (no
# "04/05/2026", no "a.m."): config/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

# --- Files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Bootstrap comes from the XStatic-Bootstrap package: no CDN, works on a closed intranet.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are served by a permission-checking view, never from a public URL.
MEDIA_URL = "/media-not-public/"
# Uploads, stored final PDFs and job results: on this server's disk (MEDIA_ROOT), or in an
# S3-compatible bucket shared by several servers. The bucket stays private: the app reads
# each file and streams it through the view that checks who may see it.
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
if MEDIA_STORAGE == "s3":
    MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
    if not MEDIA_S3_BUCKET:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,  # MinIO, Ceph, ...
            "region_name": env_str("MEDIA_S3_REGION", "") or None,
            "location": env_str("MEDIA_S3_PREFIX", ""),
            "addressing_style": env_choice(
                "MEDIA_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")
            ),
            # No ACL on upload: objects stay as private as the bucket. Keys come from
            # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the server's role).
            "default_acl": None,
            "file_overwrite": False,
            # Should a URL of a file ever be made, it is signed and lives five minutes.
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    # In production, file names carry a hash of their content (collectstatic writes them
    # and a manifest), so the proxy may cache /static/ for a year.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Most questions to a host city or benchmark comments one person may post in an hour.
POSTING_LIMIT_PER_HOUR = env_int("POSTING_LIMIT_PER_HOUR", 30)
BENCHMARK_IMPORT_MAX_BYTES = env_int("BENCHMARK_IMPORT_MAX_BYTES", 2 * 1024 * 1024)

# --- Health check (/health/): unhealthy when the oldest task waiting for a worker has
# waited longer than this many seconds.
HEALTH_TASK_MAX_WAIT = env_int("HEALTH_TASK_MAX_WAIT", 600)

# --- E-mail: console locally, SMTP when EMAIL_BACKEND=smtp.
_email_backend = env_choice("EMAIL_BACKEND", "console", ("console", "smtp", "locmem"))
EMAIL_BACKEND = f"django.core.mail.backends.{_email_backend}.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The address people open the app at, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Critical Friend <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Seconds to wait for the mail server before an attempt counts as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# An e-mail that fails is tried again after EMAIL_RETRY_SECONDS, then twice as long each
# time, EMAIL_MAX_ATTEMPTS times in all; then it is marked failed for a coordinator to see.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)

# --- Background tasks (django-tasks, the backport of Django 6's django.tasks).
# "database" keeps the queue in the database (no extra service; `manage.py db_worker`);
# "rq" in Redis at REDIS_URL
# (`manage.py rqworker default --job-class django_tasks_rq.Job --with-scheduler`);
# "immediate" runs each task in the process that enqueues it (tests, one-off scripts).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ("database", "rq", "immediate"))
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# --- Reminders (`manage.py send_reminders`, daily): a reminder goes REMINDER_DAYS_AHEAD
# days before a due date; report approvals are chased once a version has waited
# REMINDER_APPROVAL_DAYS; the host city's factual-accuracy round closes FACTUAL_ROUND_DAYS
# after it opens.
REMINDER_DAYS_AHEAD = env_int("REMINDER_DAYS_AHEAD", 7)
REMINDER_APPROVAL_DAYS = env_int("REMINDER_APPROVAL_DAYS", 7)
FACTUAL_ROUND_DAYS = env_int("FACTUAL_ROUND_DAYS", 14)

# --- Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Every form's common widgets (inputs, text areas, selects) are written in Python, in the
# markup Django's widget templates write (tests/test_lean_forms.py): a select of thirty
# sessions was thirty template renders. Other widgets render with their templates.
FORM_RENDERER = "core.forms.LeanRenderer"

# --- Security headers (always on) and HTTPS (production)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
