"""The one settings module. Everything that differs between machines comes from
environment variables read through ``innoclub.env``; the README lists them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from innoclub.env import (
    database_from_env,
    development_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_required,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("INNOCLUB_VAR_DIR", str(BASE_DIR / "var")))

# --- Modes -----------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
# Demo mode: demo accounts with a published password exist; never in production.
DEMO_MODE = env_bool("INNOCLUB_DEMO_MODE", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "") or development_secret_key(VAR_DIR / "secret_key")
else:
    SECRET_KEY = env_required("SECRET_KEY", "set a long random value outside development")

# The canonical address of the site. E-mailed links are built from it, never
# from the Host header of a request.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
_site = urlsplit(SITE_URL)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    [_site.hostname or "localhost"] + (["127.0.0.1", "localhost", "testserver"] if DEBUG else []),
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# --- Applications ----------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "innoclub.core",
    "innoclub.accounts",
    "innoclub.network",
    "innoclub.news",
    "innoclub.events",
    "innoclub.workshops",
    "innoclub.ideas",
    "innoclub.pilots",
    "innoclub.search",
    "innoclub.api",
    "innoclub.audit",
]

MIDDLEWARE = [
    "innoclub.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "innoclub.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the header middleware, so that its 400 page carries the headers too.
    "innoclub.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Copies the admin's own change log into the audit log, with the address.
    "innoclub.audit.middleware.AdminLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "innoclub.accounts.middleware.SessionLifetimeMiddleware",
    "innoclub.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of the authentication views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "innoclub.urls"
WSGI_APPLICATION = "innoclub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "innoclub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innoclub.core.context_processors.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASES = {
    "default": database_from_env("DATABASE_URL", default_sqlite_path=VAR_DIR / "innoclub.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so that a locked-out request never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "core:home"
INNOCLUB_INVITATION_DAYS = env_int("INNOCLUB_INVITATION_DAYS", 14, minimum=1)
# Days a personal data export (GDPR Art. 15/20) can be downloaded before it is deleted.
INNOCLUB_EXPORT_DAYS = env_int("INNOCLUB_EXPORT_DAYS", 7, minimum=1)
# Days after an event ends until registrations' dietary and accessibility needs are
# deleted, and after which unusable invitation links go (manage.py purge_personal_data).
INNOCLUB_RETENTION_DAYS = env_int("INNOCLUB_RETENTION_DAYS", 30, minimum=1)
# Days the audit log keeps an entry (purge_personal_data). At least 90: the
# database refuses to delete younger entries (innoclub/audit/triggers.py).
INNOCLUB_AUDIT_RETENTION_DAYS = env_int("INNOCLUB_AUDIT_RETENTION_DAYS", 365, minimum=90)
# Days before an event when confirmed participants get their reminder (send_event_reminders).
INNOCLUB_EVENT_REMINDER_DAYS = env_int("INNOCLUB_EVENT_REMINDER_DAYS", 3, minimum=1)
# Background tiles under the transfer maps, e.g. https://tile.example.org/{z}/{x}/{y}.png
# (checked in pilots/maps.py). Empty: no map makes a request to another host.
INNOCLUB_MAP_TILE_URL = env_str("INNOCLUB_MAP_TILE_URL", "")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24, minimum=1) * 3600

# Two-factor authentication: required for the club office outside demo mode.
INNOCLUB_REQUIRE_STAFF_2FA = env_bool("INNOCLUB_REQUIRE_STAFF_2FA", not DEMO_MODE)
OTP_TOTP_ISSUER = "innoclub"

# Brute-force protection. The client address is REMOTE_ADDR unless the
# operator declares how many reverse proxies stand in front; then the address
# that many hops from the right of X-Forwarded-For is used, so a client cannot
# reset its counter by sending its own X-Forwarded-For header.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Axes reads the address through the same function as the audit log (its
# AXES_IPWARE_* settings need django-ipware, which is not installed: without
# this, every client behind a proxy would share the proxy's counter).
AXES_CLIENT_IP_CALLABLE = "innoclub.core.addresses.client_address"

# --- Cache -----------------------------------------------------------------
# The API's rate-limit counters live here. Without REDIS_URL each process counts
# on its own (fine for `make run`); with several workers or servers, point
# REDIS_URL at a shared Redis so that the limits hold across all of them.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Per process; room for the rendered texts of many discussions (Django's default is 300).
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    )
}

# --- API -------------------------------------------------------------------
# Rate limits ("calls/period", period s, m, h or d) per client address and per
# token or signed-in user; counted in the default cache (see CACHES).
API_RATE_PER_ADDRESS = env_str("API_RATE_PER_ADDRESS", "300/m")
API_RATE_PER_USER = env_str("API_RATE_PER_USER", "600/m")
# Request bodies beyond this size are refused with 413 before they are read.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024, minimum=1024)

# --- Monitoring --------------------------------------------------------------
# /metrics answers staff sessions and, with this set, a scraper that sends
# "Authorization: Bearer <token>" (docs/operations.md, Monitoring).
INNOCLUB_METRICS_TOKEN = env_str("INNOCLUB_METRICS_TOKEN", "")

# Sessions: an idle timeout and an absolute lifetime (SessionLifetimeMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_TIMEOUT_MINUTES", 60, minimum=1))
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("SESSION_MAX_AGE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "innoclub_session"
CSRF_COOKIE_NAME = "innoclub_csrf"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "innoclub_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "innoclub.core.views.csrf_failure"

# --- Security headers ------------------------------------------------------
_https = _site.scheme == "https"
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https and not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS preloading binds the whole domain and its subdomains for a long time; a
# municipality's IT decides that, not our defaults (SECURE_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "innoclub" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
_node = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "innoclub" / "static",
    # Front-end packages come from npm (package-lock.json) and are served from
    # node_modules; nothing third-party is copied into the repository.
    ("vendor/kern", _node / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", _node / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/medien/"

# --- E-mail ----------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "innoclub <noreply@innoclub.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
INNOCLUB_OFFICE_EMAIL = env_str("INNOCLUB_OFFICE_EMAIL", "geschaeftsstelle@innoclub.example")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    # Without an SMTP server every message is written to a file to read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Background tasks ------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("INNOCLUB_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "email"],
    }
}

# --- Logging: one JSON line per request, with its request id ----------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "innoclub.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "innoclub.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own console handler, which would print lines twice.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # Our request log replaces these per-request lines.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint and its font subsetting report every badge PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
