"""Renkei settings: one file, every knob read from the environment (see docs/configuration.md).

This is the only module that reads os.environ; the code reads django.conf.settings (tests/core/
test_settings_in_one_place.py keeps it so). Secrets can also come from files (env_secret: NAME or NAME_FILE).
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RENKEI_VAR_DIR", BASE_DIR / "var"))


_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    """Read a boolean environment variable: 1/true/yes/on or 0/false/no/off; unset or empty is the default.

    Any other value stops start-up: a typo (AXES_ENABLED=ture) must never turn a protection off.
    """
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is neither true ({', '.join(sorted(_TRUE_WORDS))}) "
        f"nor false ({', '.join(sorted(_FALSE_WORDS))})."
    )


def env_int(name, default):
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_secret(name, default=""):
    """A secret from NAME, or from the file named by NAME_FILE (container secrets, e.g. /run/secrets/x);
    the file's surrounding whitespace (its final newline) is dropped. Both set, or a NAME_FILE that cannot
    be read, stops start-up."""
    from django.core.exceptions import ImproperlyConfigured

    value, path = os.environ.get(name, ""), os.environ.get(f"{name}_FILE", "")
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {error.strerror}.") from None
    return value or default


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_admins(name):
    """Read "Name <a@example.org>, b@example.org" as Django's (name, address) pairs; a malformed entry
    stops start-up rather than silently mailing nobody."""
    from email.utils import parseaddr

    admins = []
    for entry in env_list(name):
        label, address = parseaddr(entry)
        if "@" not in address:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{name}: {entry!r} is not an e-mail address.")
        admins.append((label or address, address))
    return admins


DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("RENKEI_DEMO", False)
_DEV_SECRET = "renkei-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_secret("SECRET_KEY") or (_DEV_SECRET if (DEBUG or DEMO) else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG and RENKEI_DEMO are off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "ninja",  # /api/v1/docs renders Swagger UI from ninja's own static files, not from a CDN
    "renkei.core",
    "renkei.directory",
    "renkei.network",
    "renkei.sheets",
    "renkei.records",
    "renkei.reports",
    "renkei.programs",
    "renkei.medication",
    "renkei.careplans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "renkei.core.dbrouting.RoutingMiddleware",  # one database-routing state per request (read-your-writes)
    "renkei.core.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers of every answer after the static files: the Content-Security-Policy (CONTENT_SECURITY_POLICY
    # below) and Cache-Control: no-store for everything personal (session cookie or Authorization header).
    "renkei.core.csp_header.CSPMiddleware",
    "renkei.core.cache_headers.NoStoreMiddleware",
    "renkei.core.inputguard.InputGuardMiddleware",  # NUL and non-UTF-8 input: 400 before any view
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "renkei.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "renkei.core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if env_bool("RENKEI_QUERY_COUNT_HEADER"):
    MIDDLEWARE.insert(0, "renkei.core.querycount.QueryCountMiddleware")

# LOG_FORMAT=json: JSON log lines, and one per request (request id, user id, status, duration, SQL count).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
if LOG_FORMAT == "json":
    MIDDLEWARE.insert(0, "renkei.core.observability.RequestLogMiddleware")

ROOT_URLCONF = "renkei.urls"
WSGI_APPLICATION = "renkei.wsgi.application"

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
                "renkei.core.context_processors.navigation",
                "renkei.core.context_processors.acting_for",
            ],
        },
    },
]

DATABASE_URL = env_secret("DATABASE_URL")  # a secret when it holds the password (DATABASE_URL_FILE)
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,  # a connection that died with a database restart is replaced, not used
    )
}
# SQLite serving several users: WAL lets readers run beside the one writer; IMMEDIATE transactions take
# the write lock at BEGIN, so two read-then-write transactions wait (busy timeout) instead of failing
# at once with "database is locked". See docs/operations.md, "How far SQLite goes".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# Read replicas (docs/scaling.md): DATABASE_REPLICA_URLS="postgres://...@replica1/renkei,postgres://...@replica2/renkei"
# (or DATABASE_REPLICA_URLS_FILE). Only the reads marked replica-safe go there (renkei/core/dbrouting.py):
# the public directory and the annual report figures; patient data, writes and the audit trail never do.
DATABASE_REPLICAS = []
for _number, _url in enumerate(
    (u.strip() for u in env_secret("DATABASE_REPLICA_URLS").split(",") if u.strip()), start=1
):
    DATABASES[f"replica{_number}"] = dj_database_url.parse(
        _url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES[f"replica{_number}"]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(f"replica{_number}")
# PostgreSQL's JIT compiles every query whose estimated cost is high, at every run: at region scale the annual
# report's count of first replies spent 0.45 s compiling for 0.1 s of work (docs/benchmark.md). Renkei's
# queries are short, so JIT is off on its connections (POSTGRES_JIT=1 leaves the server's setting).
if not env_bool("POSTGRES_JIT"):
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if env_bool("RENKEI_TESTING") and not DATABASE_REPLICAS:
    # An alias the routing tests turn on (override_settings(DATABASE_REPLICAS=["replica"])): the same test
    # database through a second connection, so a query's alias shows where the router sent it.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["renkei.core.dbrouting.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by all workers (Redis) keeps cached public answers consistent across processes;
# without REDIS_URL each process has its own memory cache (answers may lag a write by the cache time).
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "renkei.core.rediscache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis and written through to the database (cached_db): any app server finds any
    # session, a Redis restart or eviction logs nobody out, and the database still lists an account's
    # sessions so that a second-factor reset can end them (renkei/core/credentials.py; docs/scaling.md).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "renkei.core.auth.ApprovedUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "renkei.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 2}},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Lock-out after repeated failures (django-axes): by username from any address, short (docs/security.md, "Lock-out and rate limits").
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username"]]
# axes.W006 warns of lock-outs keyed on user agent or cookie, which an attacker rotates; a username alone
# is bypassed by rotating nothing (neither address, agent nor cookie), and the address is left out on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renkei.core.lockout.lockout_response"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Reverse proxies in front of Renkei that append to X-Forwarded-For (1 behind nginx); 0 trusts no header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "renkei.core.audit.client_ip"
AXES_USERNAME_CALLABLE = "renkei.core.inputguard.axes_username"  # cut to axes' 255-character column

# Second factor.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Renkei")
RENKEI_DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
# Wrong codes in a row make the account wait 1, 2, 4, ... seconds, at most this long (core.otp.cap_throttling).
OTP_THROTTLE_MAX_SECONDS = env_int("OTP_THROTTLE_MAX_SECONDS", 300)

# Idle session timeout in minutes; sessions also end when the browser closes and after 12 hours.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 12)
# Refused bearer tokens per address and window before 429; audit rows for them per window (all addresses).
TOKEN_FAILURE_LIMIT = env_int("TOKEN_FAILURE_LIMIT", 20)
TOKEN_FAILURE_WINDOW_SECONDS = env_int("TOKEN_FAILURE_WINDOW_SECONDS", 600)
TOKEN_FAILURE_AUDIT_ROWS = env_int("TOKEN_FAILURE_AUDIT_ROWS", 100)
# The audit trail's hash chains on PostgreSQL (core/audit.py): concurrent appends take different chains, so
# up to this many writers never wait for one another. More chains cost nothing but a longer anchor row.
AUDIT_CHAINS = env_int("AUDIT_CHAINS", 32)
# Registration applications accepted per address (IPv6: per /64) and window.
REGISTRATION_RATE_LIMIT = env_int("REGISTRATION_RATE_LIMIT", 5)
REGISTRATION_RATE_WINDOW_SECONDS = env_int("REGISTRATION_RATE_WINDOW_SECONDS", 3600)

# Directory (renkei/directory/conf.py): publish facility edits without staff approval; public answers' cache.
DIRECTORY_AUTO_APPROVE = env_bool("DIRECTORY_AUTO_APPROVE", False)
DIRECTORY_CACHE_SECONDS = env_int("DIRECTORY_CACHE_SECONDS", 60)
# How long GET /api/v1/reports/annual reuses an assembled report of the same data version (0: off).
REPORT_API_CACHE_SECONDS = env_int("REPORT_API_CACHE_SECONDS", 30)
# The site's address as users reach it (https://renkei.example.jp), named in mailed digests; empty: "Renkei".
SITE_URL = os.environ.get("SITE_URL", "")

# Web Push to the network's phones (renkei/network/push.py): the VAPID key pair, base64url as
# `manage.py generate_vapid_keys` prints it (or from files: VAPID_PRIVATE_KEY_FILE). Without a pair, push is
# off and the notification settings page says so; the demo uses a fixed development pair (never in production).
_DEV_VAPID_PUBLIC_KEY = "BCVaS6aZijhBXx42TfGSaot0IH7tqTgNh_26yQay69bNCsIeJU2GjR-PaPW8ZzhD19PRbrD1F7bBnoesjS6S_MA"
_DEV_VAPID_PRIVATE_KEY = "55UWBJtcr1oqgIZ8XXpDpAOQzqT-xQonMvqxtJKzOQI"
VAPID_PUBLIC_KEY = env_secret("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_secret("VAPID_PRIVATE_KEY")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or their _FILE variants), or neither.")
if DEMO and not VAPID_PUBLIC_KEY:
    VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY = _DEV_VAPID_PUBLIC_KEY, _DEV_VAPID_PRIVATE_KEY
# Whom the push services may contact about our messages (mailto: or https:).
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "")
# Seconds to wait for a push service; pushes are sent after the commit, off the request (PUSH_IN_BACKGROUND).
PUSH_TIMEOUT_SECONDS = env_int("PUSH_TIMEOUT_SECONDS", 5)
PUSH_IN_BACKGROUND = env_bool("PUSH_IN_BACKGROUND", True)

# The area's municipalities (default: the six cities of 北多摩南部). The first is the home city: records
# kept before cities were separated belong to it, and the directory shows the area by default.
RENKEI_AREA_MUNICIPALITY_CODES = env_list("RENKEI_AREA_MUNICIPALITY_CODES", "13203,13204,13206,13208,13210,13219")

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploaded files (attachments, documents) live outside any URL space; views serve them after access checks.
# PRIVATE_STORAGE=filesystem: under PRIVATE_MEDIA_ROOT. PRIVATE_STORAGE=s3: in a private bucket of S3-compatible
# object storage (several app servers share it; docs/scaling.md), keys from AWS_*_FILE too.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
PRIVATE_STORAGE = os.environ.get("PRIVATE_STORAGE", "filesystem")
if PRIVATE_STORAGE == "filesystem":
    _PRIVATE_STORAGE: dict = {"BACKEND": "renkei.core.storage.PrivateFileSystemStorage"}
elif PRIVATE_STORAGE == "s3":
    _PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # empty: AWS itself
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": env_secret("AWS_ACCESS_KEY_ID") or None,  # empty: the instance's role
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),  # a folder of the bucket, e.g. "renkei/"
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,  # "path" for MinIO and the like
            # Encrypted at rest by the store (S3_SERVER_SIDE_ENCRYPTION=AES256 by default; empty for a store without it).
            "object_parameters": {"ServerSideEncryption": _SSE} if (_SSE := os.environ.get("S3_SERVER_SIDE_ENCRYPTION", "AES256")) else {},
        },
    }
    if not _PRIVATE_STORAGE["OPTIONS"]["bucket_name"]:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs S3_BUCKET.")
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PRIVATE_STORAGE must be filesystem or s3.")
STORAGES = {
    # Private files through Django's storage API: model FileFields (default) and attachments (private).
    "default": _PRIVATE_STORAGE,
    "private": _PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or DEMO or env_bool("RENKEI_TESTING"))
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo and development serve static files straight from the app folders (no collectstatic needed);
# production serves the collected, compressed, hashed copies in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or DEMO
WHITENOISE_AUTOREFRESH = DEBUG or DEMO
# Files served at the site's root: the service worker (/sw.js), whose scope must be the whole site.
WHITENOISE_ROOT = BASE_DIR / "root"
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}  # the app manifest (PWA)
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = (MAX_UPLOAD_MB + 1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Image uploads are sized from their headers before decoding (see renkei/network/attachments.py).
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
UPLOAD_MAX_PIXELS_PER_REQUEST = env_int("UPLOAD_MAX_PIXELS_PER_REQUEST", 150_000_000)
UPLOAD_MAX_IMAGE_SIDE = env_int("UPLOAD_MAX_IMAGE_SIDE", 4096)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if (DEBUG or DEMO) else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "renkei@localhost")
# Server errors (500) are mailed to ADMINS ("Name <a@example.org>,b@example.org") by Django's own logging.
ADMINS = env_admins("ADMINS")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Map tiles (directory): URL template and attribution are settings.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
)

# Content-Security-Policy (django-csp) on every answer: scripts and styles only from our own static files
# (no inline script, no inline style attribute), map tiles from MAP_TILE_URL's host, nothing framed.
def _tile_origin(url):
    """The img-src source of a tile URL template: scheme and host, "{s}" subdomains as "*"."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}" if parts.netloc else None


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [_tile_origin(MAP_TILE_URL)])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production security (behind a TLS-terminating reverse proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
_SECURE = not (DEBUG or DEMO) and not env_bool("RENKEI_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SECURE_SSL_REDIRECT = _SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _SECURE
SECURE_HSTS_PRELOAD = _SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "renkei.core.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "renkei.core.observability.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"renkei.request": {"level": "INFO"}},
}

# Errors to Sentry only when SENTRY_DSN is set (no personal data: see renkei/core/observability.py).
SENTRY_DSN = env_secret("SENTRY_DSN")
if SENTRY_DSN:
    from renkei.core.observability import init_sentry

    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT"))

if env_bool("RENKEI_TESTING"):
    # Tests need password hashes, not their cost.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests see every record at once (a test that checks the cache turns it on).
    REPORT_API_CACHE_SECONDS = 0
    # Tests see the push calls (always mocked) within the request, and push is off unless a test sets keys.
    PUSH_IN_BACKGROUND = False
    VAPID_PUBLIC_KEY = VAPID_PRIVATE_KEY = ""

# Backup and restore (docs/operations.md, "Backup and restore"): the key comes from BACKUP_KEY_FILE or BACKUP_KEY;
# pg_dump/pg_restore are looked up on PATH unless PG_BIN_DIR names the folder of the server's version.
BACKUP_KEY = env_secret("BACKUP_KEY")
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
