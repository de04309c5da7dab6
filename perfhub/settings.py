"""PerfHub's settings, read from the environment with safe defaults for local use.

DEBUG, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL come from the environment. Without them
PerfHub runs locally on SQLite with DEBUG on; with DEBUG off it refuses to start on the
development secret key, and turns on the HTTPS and cookie protections that `check --deploy`
asks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envlist(name, default):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
DEV_SECRET_KEY = "django-insecure-perfhub-local-development-only"
SECRET_KEY = os.getenv("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

COUNCIL_NAME = os.getenv("COUNCIL_NAME", "Dorset Council")
# Unset, every page names the demo's council: reports.checks says so on first run (migrate, runserver).
COUNCIL_NAME_SET = bool(os.getenv("COUNCIL_NAME"))

INSTALLED_APPS = [
    "perfhub.apps.AdminConfig",  # django.contrib.admin, with PerfHub's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "presentation",
    "measures",
    "risks",
    "reports",
    "imports",
    "api",
    "huey.contrib.djhuey",
    "jobs",
    "notifications",
]

MIDDLEWARE = [
    # First: /healthz/live (the container's healthcheck) needs nothing below it.
    "perfhub.middleware.liveness",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "perfhub.middleware.private_no_store",
    "perfhub.middleware.refuse_null_characters",
    "perfhub.middleware.RefuseBadNumbers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perfhub.urls"

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
                "perfhub.context_processors.council",
                "perfhub.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "perfhub.wsgi.application"

DATABASES = {
    # Health checks: a connection the database dropped (a restart) is replaced before a request
    # uses it, not found broken by it.
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'perfhub.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
# Report reads go to a read replica when there is one (perfhub/routers.py); writes never do.
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPORT_READS_DATABASE = "replica" if "replica" in DATABASES else "default"
DATABASE_ROUTERS = ["perfhub.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (published pages, reports.cache): Redis when CACHE_URL is set (as in
# docker-compose), else a table in the database, so every app process sees the same pages and
# the same version of them (a per-process memory cache would keep serving a page another
# process had retired).
CACHE_URL = os.getenv("CACHE_URL")
# Redis fails open (perfhub/redis_cache.py): stopped or frozen, pages are served uncached after
# at most CACHE_TIMEOUT seconds, and the cache is tried again after CACHE_RETRY seconds.
CACHES = {
    "default": {
        "BACKEND": "perfhub.redis_cache.FailOpenRedisCache", "LOCATION": CACHE_URL,
        "OPTIONS": {"timeout_seconds": float(os.getenv("CACHE_TIMEOUT", "0.5")),
                    "retry_seconds": float(os.getenv("CACHE_RETRY", "30"))},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "perfhub_cache"}
}
PERFHUB_PAGE_CACHE = envbool("PERFHUB_PAGE_CACHE", "True")
# Four eyes: nobody approves or publishes a figure they entered (measures.services.approve).
PERFHUB_FOUR_EYES = envbool("PERFHUB_FOUR_EYES", "False")
PERFHUB_PAGE_CACHE_SECONDS = int(os.getenv("PERFHUB_PAGE_CACHE_SECONDS", "3600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend comes first: it refuses a locked-out sign-in before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Optional single sign-on by OpenID Connect (accounts/sso.py, docs/operations.md): on when
# OIDC_RP_CLIENT_ID is set. It signs in existing active accounts only, matched by e-mail.
OIDC_RP_CLIENT_ID = os.getenv("OIDC_RP_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.getenv("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.getenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.getenv("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.getenv("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.getenv("OIDC_OP_JWKS_ENDPOINT", "")
    # The claim that says the provider verified the e-mail address (accounts.sso.email_verified).
    OIDC_EMAIL_VERIFIED_CLAIM = os.getenv("OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
    _missing = [
        name for name in ("OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
                          "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"Single sign-on needs {', '.join(_missing)} as well as OIDC_RP_CLIENT_ID."
        )
    AUTHENTICATION_BACKENDS.append("accounts.sso.ExistingAccountBackend")
OIDC_PROVIDER_NAME = os.getenv("OIDC_PROVIDER_NAME", "your council account")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table app-table"}

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "perfhub@localhost")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
# Where PerfHub is served, for links in e-mails sent outside a request (send_reminders).
PERFHUB_URL = os.getenv("PERFHUB_URL", "http://127.0.0.1:8000").rstrip("/")

# The background worker (huey; `python manage.py run_huey`, docs/operations.md): its queue in a
# SQLite file beside the database for the quick start, or in Redis with QUEUE_URL=redis://...
# WORKER_IMMEDIATE=True runs each task at once in the web process (no worker; the tests do).
QUEUE_URL = os.getenv("QUEUE_URL", "")
HUEY = {
    "name": "perfhub",
    "immediate": envbool("WORKER_IMMEDIATE", "False"),
    "utc": True,
    "consumer": {"workers": int(os.getenv("WORKER_THREADS", "2" if QUEUE_URL else "1")), "worker_type": "thread"},
}
if QUEUE_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": QUEUE_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": os.getenv("QUEUE_FILE", str(BASE_DIR / "perfhub-queue.sqlite3"))})
# A job not heard of for this many seconds is taken for lost (its worker died) and queued again.
JOBS_STALE_SECONDS = float(os.getenv("JOBS_STALE_SECONDS", "120"))

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything PerfHub serves comes from itself; no inline or eval'd script is ever allowed (charts
# draw from JSON data blocks by static/js/charts.js; htmx runs with allowEval off, base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # plotly.js injects <style> elements and sets style attributes as it draws a chart.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Sign-in throttling (django-axes): 5 failed sign-ins for one username from one IP address lock
# that pair out for 30 minutes, with a page saying so (status 429) instead of the form.
AXES_ENABLED = envbool("AXES_ENABLED", "True")
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_WHITELIST_CALLABLE = "accounts.sso.is_single_sign_on"
# Behind the council's proxy every request comes from the proxy's address: set PROXY_COUNT to
# the number of proxies so the client's own address is read from X-Forwarded-For (by
# django-ipware, which django-axes uses). Left at 0 the header is ignored, since a client could
# forge it. Each proxy appends the address it was reached from, so the client's address is the
# PROXY_COUNT-th from the right; whatever a client wrote to the left of it is never read.
# django-ipware counts only the proxies listed in the header: the nearest one is REMOTE_ADDR;
# not strict, so that a longer chain (a client's own proxy, or a forged entry) still counts.
PROXY_COUNT = int(os.getenv("PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
if PROXY_COUNT:
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# The read API (api/, docs/api.md): a token or a signed-in session, read only, per-token limits.
API_THROTTLE_RATE = os.getenv("API_THROTTLE_RATE", "1200/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        # No BrowsableAPIRenderer: its pages carry inline script, which our policy forbids;
        # /api/v1/docs/ (Swagger UI) is the browsable view.
        "api.renderers.ExactJSONRenderer",
        "api.renderers.FlatCSVRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PerfHub API",
    "DESCRIPTION": "Read-only access to the performance framework, its figures and reports. "
    "Send `Authorization: Bearer <token>`; make tokens on your API tokens page.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RAG": "measures.rating.RAG", "Direction": "measures.rating.Direction",
        "BandUnit": "measures.models.Measure.BandUnit",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    # Every API request, with the name of the token that made it.
    "loggers": {"perfhub.api": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
