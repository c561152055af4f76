"""Samen settings: the one module that reads the environment.

Every variable is read here, once, and documented in the README's configuration table.
``DEBUG=true`` is development mode (what ``make run`` uses); anything else is production
mode, which refuses to start without a real ``SECRET_KEY`` and turns on every HTTPS setting.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAMEN_VAR_DIR", str(BASE_DIR / "var")))

# --- mode and secrets --------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else None)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Production mode (DEBUG is not true) needs SECRET_KEY: a random value of at least 50 characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The second factor for professionals: enforced in production, waivable for the demo.
REQUIRE_SECOND_FACTOR = env_bool("SAMEN_REQUIRE_SECOND_FACTOR", not DEBUG)

# --- applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "samen.core",
    "samen.timeline",
    "samen.operations",
    "samen.ui",
    "samen.accounts",
    "samen.organisations",
    "samen.households",
    "samen.consent",
    "samen.dossier",
    "samen.conversations",
    "samen.plans",
    "samen.caseload",
    "samen.assessments",
    "samen.reminders",
    "samen.referrals",
    "samen.meetings",
    "samen.collaboration",
    "samen.socialmap",
    "samen.home",
    "samen.demo",
    # After Samen's apps, so that Samen's translations win over the admin's for shared words.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "samen.accounts.principal.PrincipalMiddleware",  # Django's AuthenticationMiddleware, the user cached per session
    "django_otp.middleware.OTPMiddleware",
    "samen.accounts.middleware.ActorMiddleware",
    "samen.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "samen.ui.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- database ----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "samen.sqlite3",
            # Keep the connection between requests: opening one (schema read, PRAGMAs, functions)
            # costs about 1 ms, more than a typical query.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
                # the start of a transaction so two writers wait (busy timeout) instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache -------------------------------------------------------------------------------------
# What must be shared by every process (the throttling per address) is read through django.core.cache. The
# default is a table in the database, so it holds for all gunicorn workers on one machine and for several
# machines on one database without anything else to run; `migrate` creates the table (samen.accounts.apps).
# With REDIS_URL (e.g. redis://redis.example.nl:6379/0) the cache is Redis, shared by every node ("Scaling out" in
# the README); RQ's queues use the same Redis when SAMEN_TASK_BACKEND=rq (its keys start with "rq:", the cache's
# with "samen:").
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samen",
            "TIMEOUT": 60 * 60,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "samen_cache",
            "TIMEOUT": 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- background work ---------------------------------------------------------------------------
# "database" (the embedded default: tasks in the database, worker `manage.py worker`) or "rq" (tasks on Redis
# through django-tasks-rq, for more than one machine; needs REDIS_URL). A dotted backend path is taken as it is.
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
SAMEN_TASK_BACKEND = env_str("SAMEN_TASK_BACKEND", "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(SAMEN_TASK_BACKEND, SAMEN_TASK_BACKEND)}}
# A running task whose worker has not been heard of for this many seconds is taken as abandoned (its worker died)
# and run again; after SAMEN_TASK_MAX_ATTEMPTS attempts it fails and shows on the administrator's task page.
SAMEN_TASK_STUCK_AFTER = env_int("SAMEN_TASK_STUCK_AFTER", 60)
SAMEN_TASK_MAX_ATTEMPTS = env_int("SAMEN_TASK_MAX_ATTEMPTS", 5)
# A passing failure (mail server unreachable, a time-out, a 4xx answer) is tried again after this many seconds,
# doubled every attempt (30 s, 1, 2, 4 minutes), at most an hour.
SAMEN_TASK_RETRY_DELAY = env_int("SAMEN_TASK_RETRY_DELAY", 30)
# --- the social map's HSDS 3.0 files ---
# The folder with the official HSDS 3.0 JSON schemas (service.json, organization.json, ..., openapi.json) that imports,
# exports and the HSDS API are checked against. No installed package ships them (samen/socialmap/hsds.py); the default
# is the copy beside the repository. Samen says so clearly when the folder is missing.
SAMEN_HSDS_SCHEMA_DIR = Path(
    env_str("SAMEN_HSDS_SCHEMA_DIR", str(BASE_DIR.parent / "shared" / "testdata" / "hsds-3.0" / "schema"))
)
# Background work on RQ (SAMEN_TASK_BACKEND=rq) needs REDIS_URL (read with the cache, above).
RQ_QUEUES = {
    # One task may take at most this long (RQ stops it); e-mail has its own EMAIL_TIMEOUT well below it.
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600},
}
RQ = {
    "JOB_CLASS": "django_tasks_rq.Job",
    "WORKER_CLASS": "samen.operations.rqworker.SupervisedWorker",
}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    if not REDIS_URL:
        raise ImproperlyConfigured("SAMEN_TASK_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

# --- accounts and authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "samen.accounts.backends.SamenBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [  # Django's rules with Samen's plain-language messages
    {"NAME": "samen.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "samen.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "samen.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "samen.accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling, per account (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one e-mail address
# from one IP address, that combination waits AXES_COOLOFF_TIME hours. The client's address is REMOTE_ADDR, the
# same one the access log writes (samen.core.middleware.client_ip), never a header a client can set.
AXES_FAILURE_LIMIT = env_int("SAMEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "samen.core.middleware.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samen.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Throttling per internet address (samen.accounts.throttle), counted in the cache for SAMEN_THROTTLE_WINDOW
# seconds; reaching a limit blocks that address for one window (HTTP 429). Behind one address may sit a whole
# office: raise SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT there rather than lowering it.
SAMEN_THROTTLE_CACHE = "default"
SAMEN_THROTTLE_WINDOW = 15 * 60
SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
SAMEN_PASSWORD_RESET_ADDRESS_LIMIT = 10  # reset requests from one address
SAMEN_PASSWORD_RESET_EMAIL_LIMIT = 3  # reset e-mails to one e-mail address (more are not sent; the page is the same)
SAMEN_INVITATION_ADDRESS_LIMIT = 20  # sign-up attempts and links that do not work, from one address

OTP_TOTP_ISSUER = "Samen"

SESSION_ENGINE = "samen.accounts.sessions"  # database sessions that know their user (samen.accounts.principal)
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- e-mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server (connecting and every answer): a server that hangs no longer blocks the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# Where EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes (the crash tests use it).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samen <noreply@samen.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- languages ---------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates VAR_DIR (for SQLite); WhiteNoise expects it
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/tokens", NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    # Noto Sans, the typeface the voorbeeld theme's tokens name (samen/ui/static/samen/fonts.css loads it).
    ("vendor/fonts/noto-sans", NODE_MODULES / "@fontsource-variable" / "noto-sans" / "files"),
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

# --- security ----------------------------------------------------------------------------------
# A strict Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- logging -----------------------------------------------------------------------------------
# Links that work for whoever holds them (invitations, password resets) never reach a log line: every handler
# runs its records through RedactLinkTokens. Django's own loggers are configured here too, so none of them keeps
# a handler of Django's defaults: "django" (request errors, 404s) writes through the console handler, and
# "django.server" (the development server's request lines) through a handler of its own in Django's format.
# A test (samen/core/tests/test_log_filters.py) checks that every handler of every logger redacts.
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_link_tokens": {"()": "samen.core.log_filters.RedactLinkTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_link_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "level": "INFO",
            "filters": ["redact_link_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- Samen -------------------------------------------------------------------------------------
SAMEN_SOURCE_SYSTEM = env_str("SAMEN_SOURCE_SYSTEM", "samen")
# Where people reach Samen, for links in e-mails sent by background tasks (they have no request).
SAMEN_BASE_URL = (env_str("SAMEN_BASE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")

# Benchmark-only views (the `bench` app, routed under /__bench__/). Only `make bench` turns this on,
# for its own temporary server; never set it in a real deployment.
SAMEN_BENCH_VIEWS = env_bool("SAMEN_BENCH_VIEWS", False)
if SAMEN_BENCH_VIEWS:
    INSTALLED_APPS.append("bench")
    # First, so it sees every statement; it counts only requests that ask (X-Bench-Queries: 1).
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")
