"""Settings for auditbody.

Everything that differs between a laptop and production comes from environment variables.
The defaults need nothing installed: SQLite, Celery tasks run eagerly, console e-mail.
See README.md, "Configuration", for the full list.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.CBAdminConfig",  # django.contrib.admin, CB administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "bootstrap",  # Bootstrap 5 static files (django-bootstrap-static)
    "js_lib_htmx",  # htmx static files (django-js-lib-htmx)
    "django_ratelimit",  # its system checks catch a cache the rate limits cannot count in
    "axes",  # login lockouts (AXES_* below); its admin is where a CB administrator unlocks
    # Ours, lowest layer first (import-linter holds the order; booting does not depend on it)
    "core",
    "accounts",
    "standards",
    "clients",
    "people",
    "audits",
    "findings",
    "reports",
    "stage1",
    "certification",
    "scheduling",
    "applications",  # application, review, quotation, contract (above scheduling, below complaints)
    "complaints",
    "regulator",  # the CNCA data sheets (below activity, above complaints)
    "activity",
    "portal",
    "dashboard",  # the start pages read every app below
    "auditbody.apps.AuditbodyConfig",  # the project itself, on top: seed_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp, CONTENT_SECURITY_POLICY below) and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A URL id larger than any id is a 404 before the view (core/bounds.py).
    "core.middleware.BoundedUrlNumbersMiddleware",
    # Deny by default: every view must declare who may see it (core/access.py).
    "core.middleware.AccessRuleMiddleware",
    # A database still locked after the busy timeout answers "try again" (503), never a 500.
    "core.middleware.DatabaseBusyMiddleware",
    # Login lockouts; django-axes wants its middleware last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "auditbody.urls"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "auditbody.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for concurrent use (Django 5.1+ options): writers wait up to SQLITE_BUSY_TIMEOUT
    # seconds for the lock instead of failing at once; transactions take the write lock when they
    # begin (IMMEDIATE), so two writers queue instead of deadlocking on a read-then-write upgrade;
    # WAL lets readers go on while one writes. A lock still held after the timeout is answered by
    # core.middleware.DatabaseBusyMiddleware with "try again".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Persistent connections: opening one costs 4-6 ms per request on PostgreSQL (measured);
    # health checks drop a connection the server closed instead of failing the next request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, loading with the user's row the permissions access rules name (core/backends.py).
# django-axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "core.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "login"

# Views exempt from AccessRuleMiddleware because they guard themselves (admin: is_staff).
ACCESS_RULE_EXEMPT_NAMESPACES = ("admin",)

# Internationalisation: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "auditbody" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files and media
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served publicly: downloads go through permission-checked views
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where `make backup` writes its timestamped folders (auditbody/backups.py, README "Backups and recovery").
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: eager in-process without a broker, a real broker when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = (
    env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "") or None
)
# Test processes side by side (pytest-xdist) share one broker: each has its own queue, so the
# worker a test starts never takes a task another process queued (for its own test database).
if _test_process := env.str("PYTEST_XDIST_WORKER", default=""):
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{_test_process}"
# A message a killed worker took but never acknowledged (acks_late) goes back to the queue after
# this many seconds (Redis's "visibility timeout"; kombu's default is one hour). Longer than the
# longest task and than a retry's countdown, or a task runs twice (harmless, never wanted).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker of `make run`: kombu's filesystem transport needs no server, so the demo
    # renders PDFs in a real worker as production does (no request waits for a PDF). Messages and
    # results are files under CELERY_FILESYSTEM_DIR; for one machine only, never production.
    _celery_dir = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(BASE_DIR / ".run" / "celery")))
    for _folder in ("queue", "processed", "results", "control"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"file://{_celery_dir / 'results'}")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Nothing asked for is lost (reports/versions/services.py, render_jobs_resume): every minute beat
# sends again the render jobs whose message was lost while the broker was down and queues again
# those whose worker died. DatabaseScheduler copies this entry into its table on start.
CELERY_BEAT_SCHEDULE = {
    "reports-resume-render-jobs": {"task": "reports.tasks.resume_render_jobs", "schedule": 60.0},
}
# How long a render may run before its worker is taken for dead, and how long a job may wait
# unsent before it is sent again (CB settings; seconds; defaults 15 minutes and 2 minutes).
REPORT_PDF_STALE_SECONDS = env.int("REPORT_PDF_STALE_SECONDS", default=900)
REPORT_PDF_RESEND_SECONDS = env.int("REPORT_PDF_RESEND_SECONDS", default=120)

# Cache. The public register's rate limits count in it (certification/public_views.py): the
# local-memory default counts per process; with several web processes set a shared cache,
# e.g. CACHE_URL=redis://127.0.0.1:6379/1 (django-environ cache URL).
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": env.cache_url_config(CACHE_URL)
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
RATELIMIT_USE_CACHE = "default"
# django-ratelimit calls Django's own RedisCache "not officially supported" (W001) although it
# counts atomically there; local memory (E003) is accepted as the one-process default while DEBUG.
# In production a process-local cache is refused (core/checks.py, core.E001, never silenced).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if CACHE_URL or not DEBUG else ["django_ratelimit.E003"])

# The client's address (core/net.py), for the register's rate limit and login lockouts:
# TRUSTED_PROXY_COUNT 0 = the client is REMOTE_ADDR; n = behind n proxies you run, the client is
# the n-th address from the right of X-Forwarded-For (never set it without a proxy that appends to
# that header, or clients choose their own address). VERIFY_TRUSTED_PROXIES is its former name.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("VERIFY_TRUSTED_PROXIES", default=0))

# Login lockouts (django-axes), CB settings: after LOGIN_FAILURE_LIMIT failed logins for one
# username, or from one address, further attempts are refused for LOGIN_LOCKOUT_MINUTES
# (0: until a CB administrator unlocks, admin → Axes → Access attempts → delete). The admin
# login counts in the same way. The defaults are a choice of ours, not a figure of a standard.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks: per user and per address
AXES_CLIENT_IP_CALLABLE = "core.net.axes_client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Public certificate register (/verify/, certification/public_views.py).
# VERIFY_RATE: lookups per client address (django-ratelimit rate: "20/m", "100/h", "5/10s").
#   The client's address is core.net.client_address (TRUSTED_PROXY_COUNT above).
# VERIFY_WITHDRAWN_LISTED_MONTHS: how long a withdrawn certificate stays on /verify/suspended/.
VERIFY_RATE = env.str("VERIFY_RATE", default="20/m")
# COMPLAINT_RATE: public complaint submissions per client address (complaints/public_views.py).
COMPLAINT_RATE = env.str("COMPLAINT_RATE", default="5/h")
# REGISTRATION_RATE: organisations registering in the portal per client address (applications/views/registration.py).
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="5/h")
VERIFY_WITHDRAWN_LISTED_MONTHS = env.int("VERIFY_WITHDRAWN_LISTED_MONTHS", default=12)
# The site's public address: certificate PDFs print PUBLIC_BASE_URL + /verify/<token>/ as text and QR code.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="auditbody@localhost")

# Production hardening (DEBUG=0 passes `manage.py check --deploy` without warnings).
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only; no
# inline script, no inline style, no event-handler attributes, no eval, no framing. Every page
# satisfies it (e2e/test_csp.py opens each page of the demo per role with it enforced); page
# behaviour lives in static files (static/js/app.js, <app>/static/<app>/*.js) and declares itself
# with data attributes. `data:` images: Bootstrap's CSS draws its icons (select arrow, toggler)
# as data: SVGs. CSP_REPORT_ONLY=1 sends it as Content-Security-Policy-Report-Only instead.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    # NONCE: only a page that asks for request.csp_nonce gets one (the calendar: FullCalendar 6
    # injects its own stylesheet and tags it with the nonce of <meta name="csp-nonce">).
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    # data: for FullCalendar's arrow icons, a font embedded in its script (fonts run no code).
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): features no page uses, denied
# to every origin (an empty allow-list).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Regulator reporting (regulator/): the Fernet key of the auditors' ID numbers (empty: derived from
# SECRET_KEY; set it in production) and a folder of the CB's own layout files and code tables,
# taking precedence over the shipped ones (README, "Reporting to the regulator").
REGULATOR_ID_KEY = env.str("REGULATOR_ID_KEY", default="")
REGULATOR_LAYOUT_DIR = env.str("REGULATOR_LAYOUT_DIR", default="")
