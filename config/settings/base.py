"""Settings shared by every environment, read from the environment with safe development defaults.

The embedded default (no variables set) is what `make run` uses: a SQLite file and Celery's
filesystem transport under var/, emails written to var/mail/. Production (config.settings.production)
refuses to start without a real secret key. Every variable is listed in the README.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.utils.csp import CSP

django_stubs_ext.monkeypatch()

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
# The embedded default keeps its database, broker folders and mail under var/ (git-ignored).
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Only ever used when nothing else is configured; production.py rejects it.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-common-ground-key-0123456789"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.CommonGroundAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "crispy_forms",
    "crispy_bootstrap5",
    # Our apps, in dependency order (DESIGN.md section 3).
    "core",
    "partnerships",
    "accounts",
    "problems",
    "engagement",
    "evaluation",
    "dataprotection",
    # The site search reads every domain app's searchable selectors.
    "search",
    # At the top of the house: the REST API over every app's selectors and services (issue 24).
    "api",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI and Redoc served from static files (no CDN).
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside everything below that can answer a signed-in user (timeouts, second factor, views),
    # inside whitenoise, which serves static files with their own caching.
    "core.middleware.NoStoreForSignedInMiddleware",
    # django-otp's, reading the session's device with a query compiled once.
    "accounts.middleware.SecondFactorMiddleware",
    # Before the session limits, which leave a message saying why the user was signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AuditContextMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # ...and a verified second factor, except sign-in and enrolment pages.
    "accounts.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that a lockout response wraps everything above.
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
            # core.templatetags.dates: Django's `date` filter, formatted sooner (the same text).
            "builtins": ["core.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.navigation.navigation",
                "core.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# The embedded default is a SQLite file shared by web, worker and beat: WAL mode lets readers run
# beside a writer, the busy timeout waits for a lock instead of failing, and IMMEDIATE transactions
# take the write lock up front so two writers never deadlock on a lock upgrade
# ("database is locked").
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: PostgreSQL compiles a plan whose estimated cost passes jit_above_cost, and
    # on the problem list over 100,000 problems that took 140-490 ms per query to save a few
    # (benchmarks/test_list_pages.py). Pages want short queries started at once.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Optional: the role that owns the tables and runs `manage.py migrate` (core's migrate command
# connects as it, then grants the DATABASE_URL role what the application needs: core.db_roles).
# Without it, migrations run as the DATABASE_URL role, which then owns the tables (README,
# "Database roles").
MIGRATION_DATABASE = env.db("MIGRATION_DATABASE_URL") if env.str("MIGRATION_DATABASE_URL", default="") else None
# Tables the application may only read and add to: on PostgreSQL, triggers refuse UPDATE, DELETE
# and TRUNCATE of them (core migrations 0002, 0005; problems 0002, 0007, 0008, 0009), and the
# application's role is granted SELECT and INSERT only (core.db_roles.app_role_grant).
APPEND_ONLY_TABLES = (
    "core_auditevent",
    "problems_decisionlogentry",
    "problems_decisionlogentry_partner_organisations",
    "problems_decisionconfirmation",
)
# Tables the application's role owns: the crime import replaces this one by a table it loads and
# indexes itself around a large load (evaluation.services.crime_import_copy.loading), which only an
# owner may do. The migration role must be a member of the application's role (README).
APP_ROLE_OWNED_TABLES = ("evaluation_crimerecord",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ActiveOrganisationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database, never in Redis: the site keeps working when the broker is down.
# Django's database sessions, with the per-request read compiled once (core.sessions).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The cookie lives as long as the absolute limit; the idle limit is enforced (with a message) by
# accounts.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# An invitation's link (accounts.invitations) works once, for this long after it was sent.
INVITATION_EXPIRY = timedelta(days=env.int("INVITATION_EXPIRY_DAYS", default=7))

# django-otp: a TOTP device per user plus static backup codes.
OTP_TOTP_ISSUER = "Common Ground"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# django-axes: 5 failures for one account within 15 minutes locks that account for 15 minutes;
# an administrator can unlock it sooner. Attempts are stored in the database, not in Redis.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP address too. Not here: a police station or council office signs in
# from one address behind NAT, so locking an address would lock out a whole office after five
# mistakes by different people. Counting per account cannot be bypassed by rotating cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# django-guardian: direct foreign-key permission models only (see DESIGN.md); no anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files (installed from npm, served by whitenoise; no CDN at run time) ----------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet-markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.staticfiles.RememberingStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Email --------------------------------------------------------------------------------------
# EMAIL_URL (for example smtp+tls://user:password@mail.example.org:587) switches to a real server;
# without it every email is written as a file under var/mail/. Django 6.1's MAILERS setting.
if "EMAIL_URL" in env:
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                key: value
                for key, value in {
                    "host": _email.get("EMAIL_HOST"),
                    "port": _email.get("EMAIL_PORT"),
                    "username": _email.get("EMAIL_HOST_USER"),
                    "password": _email.get("EMAIL_HOST_PASSWORD"),
                    "use_tls": _email.get("EMAIL_USE_TLS"),
                    "use_ssl": _email.get("EMAIL_USE_SSL"),
                }.items()
                if value not in (None, "")
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
# The address of the site, for links in emails (which have no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Common Ground <no-reply@commonground.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# Seconds any one talk with the broker may take (connect, send, read) before it counts as down.
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=3.0)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Celery's filesystem transport: one folder is both the outbox and the inbox of every process.
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Sending a task tries the broker twice, 0.2 s apart, then gives up: a page that queues
        # work must not hang while Redis is down (kombu's default retries took 6 s a send, now
        # 0.06 s). Reminders not queued stay due and are queued again later (core.reminders); a
        # crime import or a background report not queued fails with a message (core.queueing).
        # The worker's own connection retries by its own settings, not these.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
        # A Redis that hangs (accepts, never answers) must not hang a page either: every connect
        # and every read or write on the broker's socket gives up after these (there is no
        # timeout otherwise, and /healthz or a crime upload waited until Redis came back).
        # Longer than the worker's 1-second BRPOP, so an idle worker is never cut off.
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_keepalive": True,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it ran, and requeued if its worker died: tasks must be
# idempotent (each one claims its work with a conditional update).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Schedules live in code (DESIGN.md: not django-celery-beat).
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    # Sharing must stop the day an agreement lapses (DESIGN.md section 4).
    "expire-lapsed-agreements": {
        "task": "partnerships.tasks.expire_lapsed_agreements",
        "schedule": crontab(hour=0, minute=5),
    },
    # Shares relying on an agreement no longer in force are suspended (problems.tasks).
    "suspend-lapsed-shares": {
        "task": "problems.tasks.suspend_lapsed_shares",
        "schedule": crontab(hour=0, minute=10),
    },
    # Reminders (core.reminders): every 5 minutes, run each sweep of REMINDER_SWEEP_SCHEDULE whose
    # time has come and which has not run for that day (made from the database, so a tick lost
    # while Redis was down is made up by the next one).
    "reminders-sweeps": {
        "task": "core.tasks.run_due_reminder_sweeps",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    # A breach must be reported to the ICO within 72 hours of being found (UK GDPR Art. 33): the
    # force's DPOs are reminded 24 and 4 hours before and when overdue, each once
    # (dataprotection.reminders); every quarter hour, so a threshold is noticed within 15 minutes.
    "reminders-breach-deadlines": {
        "task": "core.tasks.run_reminder_sweep",
        "args": ["dataprotection.breach_deadlines"],
        "schedule": timedelta(minutes=15),
        "options": {"expires": 900},
    },
    # Background reports hold case details: their files are deleted after a week (a setting).
    "delete-expired-report-files": {
        "task": "evaluation.tasks_reports.delete_expired_report_files",
        "schedule": crontab(hour=1, minute=0),
    },
    # The dispatcher queues again whatever is still due (after a broker outage, a backoff or a
    # lost worker).
    "reminders-queue-pending": {
        "task": "core.tasks.queue_pending_reminders",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 600},
    },
}

# --- Reminders (core.reminders) -------------------------------------------------------------------
# When each morning sweep is due (local time; "weekday": 0 is Monday; "day_of_month": 1 to 28). Problem reviews due in 3
# days, today and overdue; response actions due soon and overdue; agreements due for review;
# supervisors' weekly digest; followers' daily digest.
REMINDER_SWEEP_SCHEDULE: dict[str, dict[str, Any]] = {
    "problems.reviews": {"at": "07:00"},
    "problems.actions": {"at": "07:05"},
    "partnerships.agreement_reviews": {"at": "07:10"},
    "problems.weekly_digest": {"at": "07:30", "weekday": 0},
    "problems.follower_digest": {"at": "07:40"},
    # Closed problems due for a retention review, to supervisors and DPOs: the first of each month.
    "problems.retention_reviews": {"at": "07:50", "day_of_month": 1},
}
# A claim older than this whose sender no longer holds its send lock (PostgreSQL; without it, any
# claim this old) belongs to a sender that died, and may be taken again. On PostgreSQL it is only
# the time a sender whose connection was cut has to record what it sent: sending may take longer.
REMINDER_CLAIM_TIMEOUT_SECONDS = env.int("REMINDER_CLAIM_TIMEOUT_SECONDS", default=600)

# --- Client addresses (core.client_address) ------------------------------------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For (0: the header is ignored).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Reports (evaluation.services.reports) ---------------------------------------------------------
# Files of background impact reports are deleted this many days after they were made.
REPORT_FILE_RETENTION_DAYS = env.int("REPORT_FILE_RETENTION_DAYS", default=7)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_BACKOFF_SECONDS = env.int("REMINDER_BACKOFF_SECONDS", default=60)

# --- Problems -----------------------------------------------------------------------------------
# Days from one review of an open problem to the next, by risk level.
PROBLEM_REVIEW_INTERVAL_DAYS = {
    "high": env.int("PROBLEM_REVIEW_DAYS_HIGH", default=14),
    "medium": env.int("PROBLEM_REVIEW_DAYS_MEDIUM", default=28),
    "low": env.int("PROBLEM_REVIEW_DAYS_LOW", default=56),
}

# Retention of closed problems (problems.services.retention): a closed problem's retention review
# falls this many years after it was closed. Default chosen to follow MOPI's standard review
# cycle (six years; source: "MOPI: Management of Police Information", College of Policing
# Authorised Professional Practice, review periods); set to your force's policy.
# "category" (problem category codes) and "risk" (high, medium, low) name longer or shorter periods;
# where several apply, the longest wins. From the environment as JSON, for example
# RETENTION_PERIODS='{"default": 6, "risk": {"high": 10}, "category": {"violence": 10}}'.
RETENTION_PERIODS = env.json("RETENTION_PERIODS", default={"default": 6, "risk": {}, "category": {}})

# --- Uploads (core.uploads) ---------------------------------------------------------------------
# An Office document is a zip: refused when its central directory lists more parts, or declares
# more unpacked bytes in all, than any real document (a zip bomb). Read without unpacking anything.
UPLOAD_ARCHIVE_MAX_ENTRIES = env.int("UPLOAD_ARCHIVE_MAX_ENTRIES", default=10_000)
UPLOAD_ARCHIVE_MAX_INFLATED_BYTES = env.int("UPLOAD_ARCHIVE_MAX_INFLATED_BYTES", default=100 * 1024 * 1024)

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------------
# Django's built-in Content Security Policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# --- Maps (Leaflet, served from node_modules like Bootstrap) --------------------------------------
# The map tiles: a force's own tile service or a public one (see the README, "Maps"). Empty: maps
# draw points, areas and a scale on a plain background, and the browser asks no other host.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
MAP_TILE_MAX_ZOOM = env.int("MAP_TILE_MAX_ZOOM", default=19)


def map_tile_source(url: str) -> str:
    """The CSP source of a tile URL template: its scheme and host only, a `{s}` subdomain as `*`
    (https://{s}.tile.example.org/{z}/{x}/{y}.png -> https://*.tile.example.org)."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


# Only the tile host is added, and only to img-src (tiles are images; nothing else is fetched).
if map_tile_source(MAP_TILE_URL):
    SECURE_CSP["img-src"] = [CSP.SELF, "data:", map_tile_source(MAP_TILE_URL)]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# The default cache: each process's memory unless CACHE_URL names a shared one (redis://host:6379/1
# in production, as docker-compose.yml does), so that the API's per-token rate limit counts every
# gunicorn worker's requests together rather than one worker's.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- API (api app, issue 24) ----------------------------------------------------------------------
# Personal tokens or a verified session; every request is rate-limited per token (api.throttling,
# on the default cache: per process unless CACHE_URL names a shared one).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_RATE_LIMIT", default="120/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Common Ground API",
    "DESCRIPTION": (
        "Read what you may see in Common Ground, and add what the pages let you add, from your "
        "organisation's own case system. Authenticate with a personal token: Authorization: Bearer <token>."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
