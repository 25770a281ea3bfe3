"""The one settings module of kotacerdas, configured by KOTACERDAS_* environment variables.

Every variable is listed in docs/operations.md; tests/core/test_settings_docs.py keeps that list true.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """Return the KOTACERDAS_<name> environment variable, or the default."""
    return os.environ.get(f"KOTACERDAS_{name}", default)


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no KOTACERDAS_<name> variable ("1", "true", "yes" are yes)."""
    raw = env(name, "1" if default else "0").strip().lower()
    return raw in {"1", "true", "yes", "on"}


ENVIRONMENT = env("ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve()
MEDIA_ROOT = DATA_DIR / "media"


def _secret_key() -> str:
    """The secret key: from the environment, else generated on first run and kept under DATA_DIR."""
    given = env("SECRET_KEY")
    if given:
        return given
    if PRODUCTION:
        raise RuntimeError("KOTACERDAS_SECRET_KEY must be set when KOTACERDAS_ENV=production")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG", default=False)
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tables2",
    "auditlog",
    "axes",
    "csp",
    "kotacerdas.core",
    "kotacerdas.regions",
    "kotacerdas.pillars",
    "kotacerdas.indicators",
    "kotacerdas.assessment",
    "kotacerdas.program",
    "kotacerdas.masterplan",
    "kotacerdas.reports",
    "kotacerdas.context",
    "kotacerdas.devices",
    "kotacerdas.alerts",
    "kotacerdas.monitoring",
    "kotacerdas.dashboard",
    "kotacerdas.opendata",
    "kotacerdas.matchmaking",
    "kotacerdas.harmonisation",
]

MIDDLEWARE = [
    "kotacerdas.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kotacerdas.core.api_auth.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "kotacerdas.core.page_cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
ASGI_APPLICATION = "kotacerdas.asgi.application"
WSGI_APPLICATION = "kotacerdas.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

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
                "kotacerdas.core.context.site",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    """KOTACERDAS_DATABASE_URL, defaulting to a SQLite file under DATA_DIR (WAL mode)."""
    url = env("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'kotacerdas.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A connection pool per process (psycopg_pool): under ASGI every request may run in a new thread,
        # and persistent per-thread connections would pile up until PostgreSQL refuses new clients.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options["pool"] = {
            "min_size": 1,
            "max_size": int(env("DB_POOL_SIZE", "8")),
            "timeout": float(env("DB_POOL_TIMEOUT", "10")),
        }
        config["OPTIONS"] = options
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # a page cache per connection of KOTACERDAS_SQLITE_CACHE_MB (SQLite's default is 2 MB): a query over
        # the NGSI-LD index walks tens of MB of index pages, and re-reading them from the OS costs ~20 %
        cache_kib = int(float(env("SQLITE_CACHE_MB", "64")) * 1024)
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            f"PRAGMA cache_size=-{cache_kib};",
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_flag("FAST_PASSWORD_HASHER"):  # tests only: argon2 stays the default everywhere else
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_flag("LOGIN_THROTTLING", default=True)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_COOKIE_NAME = "kotacerdas_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"


def _package_static(package: str) -> Path:
    """The static/ folder of an installed package, found without importing it (django-leaflet's admin
    module needs GDAL, which kotacerdas does not use: only its Leaflet assets are served)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


STATICFILES_DIRS = [_package_static("leaflet")]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves static files from the installed packages (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kotacerdas <noreply@localhost>")

SESSION_COOKIE_AGE = int(env("SESSION_AGE_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes and scrapers may speak plain HTTP to the process itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
METRICS_TOKEN = env("METRICS_TOKEN")

# Anonymous visitors' public pages are kept this many seconds (0: off); see core/page_cache.py.
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "60"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kotacerdas",
        "OPTIONS": {"MAX_ENTRIES": int(env("PUBLIC_CACHE_ENTRIES", "2000"))},
    }
}

# Map: no tile server unless one is configured (regional offices may have no internet).
MAP_TILE_URL = env("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")


def _tile_origin() -> list[str]:
    """The configured tile server's origin (scheme://host), which the map's images come from."""
    from urllib.parse import urlsplit

    parts = urlsplit(MAP_TILE_URL.replace("{s}", "a"))
    return [f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.")] if parts.netloc else []


# Content-Security-Policy (django-csp): scripts and styles from our own files only (no inline script, no
# inline style, nothing from another origin); images may be data: URIs (Leaflet, Swagger UI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin()],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kotacerdas.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", "plain")},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# NGSI-LD context broker (docs/ngsi-ld.md).
NGSI_LD_OPEN = env_flag("NGSI_LD_OPEN")  # anonymous writes to the default tenant: tests and tools only
if NGSI_LD_OPEN and PRODUCTION:
    raise RuntimeError("KOTACERDAS_NGSI_LD_OPEN=1 is refused when KOTACERDAS_ENV=production")
NGSI_LD_PUBLIC_TYPES = [t.strip() for t in env("NGSI_LD_PUBLIC_TYPES", "*").split(",") if t.strip()]
NGSI_LD_CONTEXT_TIMEOUT = float(env("NGSI_LD_CONTEXT_TIMEOUT", "3"))
NGSI_LD_RETENTION_MONTHS = int(env("NGSI_LD_RETENTION_MONTHS", "24"))
NGSI_LD_MAX_LIMIT = int(env("NGSI_LD_MAX_LIMIT", "1000"))
NGSI_LD_NOTIFY_MAX_ATTEMPTS = int(env("NGSI_LD_NOTIFY_MAX_ATTEMPTS", "10"))
NGSI_LD_NOTIFY_TIMEOUT = float(env("NGSI_LD_NOTIFY_TIMEOUT", "5"))

# Device ingestion and early warning (docs/operations.md, docs/devices.md).
INGEST_MAX_SKEW_SECONDS = int(env("INGEST_MAX_SKEW_SECONDS", "300"))  # readings from the future: refused
ALERT_DELIVERY_MAX_ATTEMPTS = int(env("ALERT_DELIVERY_MAX_ATTEMPTS", "10"))
ALERT_DELIVERY_TIMEOUT = float(env("ALERT_DELIVERY_TIMEOUT", "5"))
