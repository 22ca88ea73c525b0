"""Settings for the Party Branch Work Portal, all read from the environment (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    require,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

PORTAL_ENV = env_choice("PORTAL_ENV", "development", ("development", "production"))
PRODUCTION = PORTAL_ENV == "production"

if PRODUCTION:
    require(
        [
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "CELERY_BROKER_URL",
            "EMAIL_HOST",
            "DEFAULT_FROM_EMAIL",
        ],
        "PORTAL_ENV=production",
    )

# Off unless DEBUG=1 is set, in development too: `make run` shows the pages users see (the
# error pages instead of Django's debugging pages).
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("Environment variable DEBUG must be off when PORTAL_ENV=production.")

# The development key is only ever used outside production (enforced above).
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnop")
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be at least 50 characters with 5 unique ones."
    )

# Outside production the default also admits the address `make run` serves on (its HOST, passed
# as PORTAL_RUN_HOST), unless that is the "every interface" address, which names no host.
_RUN_HOST = env_str("PORTAL_RUN_HOST")
_DEV_HOSTS = ["127.0.0.1", "localhost", "testserver"]
if _RUN_HOST and _RUN_HOST not in (*_DEV_HOSTS, "0.0.0.0", "::", "[::]"):
    # An IPv6 address arrives in the Host header in brackets.
    bare = ":" in _RUN_HOST and not _RUN_HOST.startswith("[")
    _DEV_HOSTS.append(f"[{_RUN_HOST}]" if bare else _RUN_HOST)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _DEV_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "branches",
    "tasks",
    "surveys",
    "ratings",
    "dues",
    "dossiers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "portal.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "branches.context_processors.navigation",
                "tasks.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
_default_db_url = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db_url),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is invalid: {exc}") from exc
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL compiles a query to machine code once its estimated cost passes a threshold
    # that the region's counts (a few thousand index probes) pass: 10 ms of compiling for a
    # 40 ms page query. The portal's queries are short; JIT pays off only for long reports.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and sessions --------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "branches:home"
LOGOUT_REDIRECT_URL = "login"
# 30 minutes idle. Renewing the expiry is a database write, so it is pushed forward at most
# once per SESSION_RENEW_SECONDS (portal.middleware.SessionLifetimeMiddleware), not on every
# request; the stored age is the idle limit plus that interval, so a session always lasts at
# least the idle limit after the last request (and at most one interval longer).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_RENEW_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ...and after 12 hours in all, however active (portal.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=600)

# Login protection (django-axes, portal.lockout): LOGIN_FAILURE_LIMIT failures lock that user
# name from that IP address only, so one person can lock neither a colleague behind the same
# address nor the same account from elsewhere; LOGIN_IP_FAILURE_LIMIT failures from one address
# across all user names lock the address. The office lifts either from its security page, or
# the lock lifts by itself after LOGIN_LOCKOUT_MINUTES without a new failure.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.lockout.PairAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
#: How many reverse proxies (nginx) stand before gunicorn; they append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "portal.request_context.client_ip"

# Two-factor login (TOTP app): optional for everyone; required in production for the roles
# that TWO_FACTOR_REQUIRED_FOR says (office staff and administrators).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
# Star rating: retired branches (离退休支部) are rated too.
RATINGS_INCLUDE_RETIRED = env_bool("RATINGS_INCLUDE_RETIRED", False)
TWO_FACTOR_REQUIRED_FOR = "branches.access.two_factor_required_for"
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "党支部工作平台")

# --- Audit log --------------------------------------------------------------------------------
#: Apps whose every saved or deleted row writes an audit entry...
AUDITED_APPS = ("branches", "tasks", "surveys", "ratings")
#: ...except models whose every change is already logged as a named workflow step by its
#: service functions, and bookkeeping rows (queued reminders, notifications, export jobs).
AUDIT_EXEMPT_MODELS = frozenset(
    {
        "tasks.assignment",
        "tasks.urgerecord",
        "tasks.reminder",
        "tasks.reminderdelivery",
        "tasks.notification",
        "tasks.export",
    }
)
#: Entries older than this are deleted by the retention job; never less than six months
#: (the database refuses to delete younger entries anyway).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 3 * 365, minimum=183)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploads live outside every public path; only access-checked views serve them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
if not PRODUCTION:
    # Served straight from the source folders (no collectstatic), also with DEBUG off, and
    # picked up when they change. Production serves the collected, hashed files only.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# Zip-based uploads (Office files, import workbooks) are refused by their directory, before any
# part is inflated, when all parts together would expand beyond this or one part of at least
# 1 MB is compressed more than this ratio (real documents stay well below; bombs reach 1000).
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_MB", 200, minimum=1) * 1024 * 1024
UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100, minimum=2)
# An import workbook is loaded into memory once its extent is checked: a tighter bound.
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 20, minimum=1) * 1024 * 1024
# A notice uploaded as .docx is read up to these bounds (a notice has some pages; a file beyond
# them is refused with a message, not read on).
NOTICE_DOCX_MAX_PARAGRAPHS = env_int("NOTICE_DOCX_MAX_PARAGRAPHS", 3000, minimum=10)
NOTICE_DOCX_MAX_CHARACTERS = env_int("NOTICE_DOCX_MAX_CHARACTERS", 200_000, minimum=1000)
NOTICE_DOCX_MAX_PART_BYTES = env_int("NOTICE_DOCX_MAX_PART_MB", 20, minimum=1) * 1024 * 1024
# An uploaded notice waits this long for the office to save its draft (then it is deleted).
NOTICE_DOCX_PENDING_MINUTES = env_int("NOTICE_DOCX_PENDING_MINUTES", 120, minimum=5)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------------------------
# Without a broker URL the embedded filesystem transport under var/ is used, so `make run`
# needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any]
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Only the worker and the beat talk to the broker (requests queue jobs in the database
    # outbox, portal.outbox); short timeouts keep a dead or hung Redis from stalling them.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Reminders: a worker holds a reminder for this long while it sends it, renewed before each
# recipient, so it must exceed the longest send to one recipient (EMAIL_TIMEOUT is 30 s a
# step). A row claimed this long ago with no live lease lost its message (a broker restart) or
# its worker: the every-minute sweep queues it again. This, not the broker's visibility timeout
# (an hour above), is what brings a reminder back; the broker's later redelivery of the old
# message then finds the row sent or leased and sends nothing.
REMINDER_LEASE_SECONDS = env_int("REMINDER_LEASE_SECONDS", 60, minimum=1)
# Emails one worker process sends at the same time (threads, each with its own database and
# SMTP connection, on PostgreSQL): a send waits mostly for the database's commit and the mail
# server's replies, so a few senders keep the process busy. Each still sends one email at a
# time, "sending" committed before it and "sent" after it.
REMINDER_SENDERS = env_int("REMINDER_SENDERS", 4, minimum=1)

# --- Email ----------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------------------
# Content Security Policy: scripts only from our own static files (no inline script at all);
# inline style attributes are allowed because Bootstrap components and widths set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

#: A background workbook not started this long after it was asked for is marked failed (its job
#: was lost or the workers are down), so nobody waits on a progress bar that never moves.
EXPORT_START_TIMEOUT = timedelta(minutes=env_int("EXPORT_START_TIMEOUT_MINUTES", 15, minimum=1))

CELERY_BEAT_SCHEDULE = {
    # The jobs requests queued in the outbox go to the broker within a few seconds; a pass
    # that could not run in time is dropped (the next one does the same work).
    "publish-outbox": {
        "task": "portal.publish_outbox",
        "schedule": 2.0,
        "options": {"expires": 10},
    },
    "delete-published-outbox": {"task": "portal.delete_published_outbox", "schedule": 3600.0},
    "fail-stranded-exports": {"task": "tasks.fail_stranded_exports", "schedule": 300.0},
    "clear-expired-sessions": {"task": "portal.clear_expired_sessions", "schedule": 3600.0},
    "purge-old-audit-entries": {"task": "portal.purge_old_audit_entries", "schedule": 86400.0},
    "send-due-reminders": {"task": "tasks.send_due_reminders", "schedule": 60.0},
    "delete-expired-exports": {"task": "tasks.delete_expired_exports", "schedule": 3600.0},
    "delete-abandoned-notice-uploads": {
        "task": "tasks.delete_abandoned_notice_uploads",
        "schedule": 3600.0,
    },
    # Daily at 08:30 Shanghai (CELERY_TIMEZONE): relation flags and development steps due.
    "plan-branch-life-reminders": {
        "task": "tasks.plan_branch_life_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
}
