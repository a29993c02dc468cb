"""Terreau's settings, read from the environment (12-factor) with safe production defaults."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("TERREAU_DATA_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEFAULT_SECRET_KEY = "insecure-development-key-change-me"
DEBUG = env_bool("DEBUG", False)
# An empty SECRET_KEY counts as unset: Django would only fail at the first signed cookie.
SECRET_KEY = os.environ.get("SECRET_KEY") or DEFAULT_SECRET_KEY
# The site refuses to serve with the default key outside DEBUG (`terreau.serving`, called by the
# WSGI and ASGI entry points); commands that serve nothing (migrations, checks) still run.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Terreau")
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")  # footer and legal notice; a default otherwise

INSTALLED_APPS = [
    "terreau.accounts",
    "terreau.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "axes",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "terreau.territories",
    "terreau.directory",
    "terreau.observatory",
    "terreau.events",
    "terreau.library",
    "terreau.calls",
    "terreau.groups",
    "terreau.search",
    "terreau.privacy",
    "terreau.worksites",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "terreau.core.middleware.ControlCharactersMiddleware",
    "terreau.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "terreau.core.absolute.RequestBaseURLMiddleware",  # absolute links from the request
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns lock-outs into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "terreau.urls"
WSGI_APPLICATION = "terreau.wsgi.application"
ASGI_APPLICATION = "terreau.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "terreau.core.context_processors.site",
                "terreau.core.pagecache.csrf_token_mark",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "django.templatetags.static",
                "terreau.core.templatetags.dates",  # `date` with the French 1er
            ],
        },
    }
]

# Database: DATABASE_URL (postgres://… in production), embedded SQLite otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'terreau.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL + a busy timeout let concurrent requests wait instead of failing;
        # IMMEDIATE transactions take the write lock up front (no upgrade deadlocks).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TERREAU_TEST_SQLITE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    # One process's memory: rendered pages (about 20 KB each), form fragments and rate-limit
    # counters share these entries; past them, a third is dropped at random (Django's cull).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCMEM_CACHE_ENTRIES", "3000"))},
        }
    }
# Several application servers keep no state in a process: with REDIS_URL, sessions live in the
# cache (backed by the database so a Redis restart logs nobody out); rate limits and cached
# PDFs are in the cache already.
if CACHE_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A PostgreSQL read replica for the public pages and exports (terreau.core.routers):
# DATABASE_REPLICA_URL=postgres://… ; writes, and reads inside a transaction, stay on default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["terreau.core.routers.ReplicaRouter"]
    # Outermost but for the security headers: the whole request knows whether it may read it.
    MIDDLEWARE.insert(1, "terreau.core.routers.ReplicaMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): log in by e-mail, mandatory e-mail verification.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# django-axes locks an (account, address) pair after AXES_FAILURE_LIMIT failures; allauth's own
# limits stay above it so the lock-out page is what people see: per address (30 a minute: many
# accounts tried from one address) and per account (20 in 5 minutes: one account tried from many
# addresses). Addresses come from terreau.core.throttle.client_ip (the proxy's X-Forwarded-For,
# trusted from TERREAU_TRUSTED_PROXIES only), so one client's failures never lock the others out.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,20/5m/key"}
ACCOUNT_SIGNUP_FORM_CLASS = "terreau.accounts.forms.SignupForm"
ACCOUNT_FORMS = {"login": "terreau.accounts.forms.LoginForm"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"

# Brute-force protection (django-axes): 5 failures lock the (user, IP) pair for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "terreau.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address: REMOTE_ADDR, or X-Forwarded-For when REMOTE_ADDR is one of these reverse
# proxies (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"); nobody else may set it.
TERREAU_TRUSTED_PROXIES = env_list("TERREAU_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "terreau.core.throttle.axes_client_ip"
ACCOUNT_ADAPTER = "terreau.accounts.adapter.AccountAdapter"
# Rate limits per client (terreau.core.throttle.DEFAULT_RATES), overridden by
# TERREAU_RATES="registration=10/10m,search=300/m".
TERREAU_RATES: dict = dict(item.split("=", 1) for item in env_list("TERREAU_RATES") if "=" in item)


# E-mail: EMAIL_URL = smtp://user:password@host:587?tls=1 (or smtps://…, console://, locmem://).
def mailer_from_url(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme in backends:
        return {"BACKEND": backends[parts.scheme]}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    query = parse_qs(parts.query)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
        },
    }


# Every message goes to the outbox (a row written in the sender's transaction); the worker
# delivers it through "delivery" with retries (terreau.core.outbox).
MAILERS = {
    "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
    "delivery": mailer_from_url(
        os.environ.get("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
    ),
}
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
OUTBOX_RENEW_SECONDS = float(os.environ.get("OUTBOX_RENEW_SECONDS", "30"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
TASKS_LEASE_SECONDS = int(os.environ.get("TASKS_LEASE_SECONDS", "1800"))
# Subscribers covered per transaction when an issue is queued (terreau.library).
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "500"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Terreau <noreply@terreau.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework with the database-backed worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Internationalisation: French first, English complete.
FORMAT_MODULE_PATH = ["terreau.formats"]  # English dates day first
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own catalogue in <app>/locale/
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it, even before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads: size limit (bytes) checked by the upload validators.
TERREAU_UPLOAD_MAX_BYTES = int(os.environ.get("TERREAU_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# Map tiles (Leaflet): any XYZ template; pages still work without tiles.
TERREAU_MAP_TILES_URL = os.environ.get(
    "TERREAU_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
TERREAU_MAP_ATTRIBUTION = os.environ.get("TERREAU_MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# Security: strict by default, relaxed only when DEBUG is on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG and not env_bool("TERREAU_INSECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: on (a year) whenever the site is served over HTTPS (SITE_URL https://…); Django sends it
# on secure requests only, which behind the proxy means X-Forwarded-Proto: https.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SITE_URL.startswith("https://") else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logs on standard error; LOG_FORMAT=json gives one JSON object a line (journald, Loki, …).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "terreau.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if os.environ.get("LOG_FORMAT") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Media on S3-compatible storage (django-storages, installed apart): AWS_STORAGE_BUCKET_NAME,
# AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are read by django-storages.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"default_acl": "private", "querystring_auth": True, "file_overwrite": False},
    }
# Files served by a view after a permission check go out through nginx (deploy/nginx.conf).
TERREAU_MEDIA_ACCEL_REDIRECT = os.environ.get("TERREAU_MEDIA_ACCEL_REDIRECT", "")
TERREAU_UPLOAD_MAX_PIXELS = int(os.environ.get("TERREAU_UPLOAD_MAX_PIXELS", "40000000"))
# /sante/ reports "degraded" when the oldest e-mail or task waiting is older than this.
TERREAU_HEALTH_QUEUE_MAX_AGE = int(os.environ.get("TERREAU_HEALTH_QUEUE_MAX_AGE", "600"))

# Error reports to Sentry (the sentry-sdk package, installed apart) when SENTRY_DSN is set.
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
