"""Settings for every Huhang instance, read from the environment.

An instance is defined by two variables, so that several can run side by side:

- ``DATABASE_URL``: where the records live (default: SQLite in the data directory);
- ``HUHANG_DATA_DIR``: stored files, keys and analytical stores (default: ``./var``).

Production deployments set ``HUHANG_SECRET_KEY`` and ``HUHANG_DEBUG=0``; see docs/operations.md.
"""

import os
from pathlib import Path

import dj_database_url

from huhang.site.env import env_bool, env_int, env_json_object, env_list, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HUHANG_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HUHANG_DEBUG", default=False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("HUHANG_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HUHANG_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "huhang.site",
    "huhang.audit",
    "huhang.accounts",
    "huhang.registry",
    "huhang.evidence",
    "huhang.schedules",
    "huhang.cases",
    "huhang.surveys",
    "huhang.supervision",
    "huhang.monitoring",
    "huhang.patents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huhang.site.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huhang.site.urls"
WSGI_APPLICATION = "huhang.site.wsgi.application"

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
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'huhang.sqlite3'}"),
        conn_max_age=env_int("HUHANG_DB_CONN_MAX_AGE", default=60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while an import writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock a username+address pair after five failures for 30 minutes.
AXES_FAILURE_LIMIT = env_int("HUHANG_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("HUHANG_LOGIN_COOLOFF_MINUTES", default=30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Cookies are per host name, not per port: instances sharing a host name need different prefixes.
_COOKIE_PREFIX = os.environ.get("HUHANG_COOKIE_PREFIX", "huhang_")
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}session"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("HUHANG_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_https = env_bool("HUHANG_HTTPS", default=False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
if _https:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = f"{_COOKIE_PREFIX}language"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (imports from pages) goes through a database-backed task queue: `huhang db_worker`
# runs it (`huhang serve` starts one worker itself unless given --no-worker).
TASKS = {"default": {"BACKEND": os.environ.get("HUHANG_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Progress of long work, shared between the worker and the web processes.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("HUHANG_CACHE_DIR", str(DATA_DIR / "cache")),
    },
    # API rate limits (site/throttling.py): in the memory of each process.
    "throttle": {"BACKEND": "huhang.site.throttling.InProcessCache", "LOCATION": "huhang-throttle"},
}
# The evidence ledger's log (`huhang ledger init --origin ORIGIN`); empty: the only log in the database.
HUHANG_LEDGER_ORIGIN = os.environ.get("HUHANG_LEDGER_ORIGIN", "")
# Ledger witnesses (docs/ledger.md, "Witnesses"): HUHANG_LEDGER_WITNESSES is a JSON list of {"name", "url", "key"}
# (each witness's name, submission URL and cosignature verifier key; default none). `huhang witness publish-once`
# publishes a checkpoint once HUHANG_LEDGER_QUORUM of them have cosigned it (default: all of them).
HUHANG_LEDGER_WITNESSES = os.environ.get("HUHANG_LEDGER_WITNESSES", "[]")
HUHANG_LEDGER_QUORUM = env_int("HUHANG_LEDGER_QUORUM", default=0) if os.environ.get("HUHANG_LEDGER_QUORUM") else None
# RFC 3161 time-stamping of checkpoints by an external TSA (docs/ledger.md, "Time-stamping"): HUHANG_LEDGER_TSA_URL
# is the TSA's URL (default empty: off); HUHANG_LEDGER_TSA_HASH the imprint's hash, sha256 (default) or sm3;
# `huhang serve` time-stamps the latest checkpoint (the latest publication when witnesses are configured) every
# HUHANG_LEDGER_TSA_INTERVAL seconds (default 60) if it has no token yet; `huhang timestamp once` does one round.
HUHANG_LEDGER_TSA_URL = os.environ.get("HUHANG_LEDGER_TSA_URL", "").strip()
HUHANG_LEDGER_TSA_HASH = os.environ.get("HUHANG_LEDGER_TSA_HASH", "sha256").strip().lower() or "sha256"
HUHANG_LEDGER_TSA_INTERVAL = env_int("HUHANG_LEDGER_TSA_INTERVAL", default=60)

# Cases (docs/cases.md): HUHANG_CASE_NUMBER_PREFIXES maps a procedure category to its case-number prefix (JSON
# object, e.g. {"adjudication": "武知保裁"}; unset categories keep the defaults); HUHANG_TRIAGE_RULES sets the
# 繁简分流 thresholds (JSON object, keys of huhang.procedures.triage.TriageRules); HUHANG_SERVICE_RULES the service
# rules (JSON object, keys of huhang.procedures.service.ServiceRules, e.g. {"public_notice_days": 30}).
HUHANG_CASE_NUMBER_PREFIXES = env_json_object("HUHANG_CASE_NUMBER_PREFIXES")
HUHANG_TRIAGE_RULES = env_json_object("HUHANG_TRIAGE_RULES")
HUHANG_SERVICE_RULES = env_json_object("HUHANG_SERVICE_RULES")

# Monitoring (docs/monitoring.md): HUHANG_KPI_BASELINES names the baseline period of K5, K15 and K18 (JSON object,
# e.g. {"K5": "2024", "K15": "2024-12"}; default: the same period a year earlier, for K15 the day before the
# period); HUHANG_KPI_SCOPE the scope of the statistics the formulas use (default "Wuhan").
HUHANG_KPI_BASELINES = env_json_object("HUHANG_KPI_BASELINES")
HUHANG_KPI_SCOPE = os.environ.get("HUHANG_KPI_SCOPE", "Wuhan").strip() or "Wuhan"

# Uploaded import files: refused above this size, before any row is read.
HUHANG_IMPORT_MAX_BYTES = env_int("HUHANG_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Evidence (docs/evidence.md):
# - HUHANG_EVIDENCE_MAX_BYTES: uploads above this size are refused before anything is stored (default 200 MB);
# - HUHANG_EVIDENCE_STORE: where evidence files live, content-addressed by SHA-256: "local" (default: under
#   HUHANG_EVIDENCE_DIR, default HUHANG_DATA_DIR/evidence) or "s3" (an S3-compatible bucket: MinIO, Ceph RGW,
#   Huawei OBS, Alibaba OSS, AWS; uploads are spooled under HUHANG_EVIDENCE_DIR/incoming while hashed);
# - HUHANG_EVIDENCE_S3_ENDPOINT (http(s) URL), HUHANG_EVIDENCE_S3_BUCKET, HUHANG_EVIDENCE_S3_ACCESS_KEY,
#   HUHANG_EVIDENCE_S3_SECRET_KEY: required with HUHANG_EVIDENCE_STORE=s3; HUHANG_EVIDENCE_S3_REGION (default
#   us-east-1) and HUHANG_EVIDENCE_S3_PREFIX (prepended to each object key, default "evidence/");
# - HUHANG_PUBLIC_URL: the address the public reaches this instance at, for the verification link and the
#   QR code printed on certificates (default http://127.0.0.1:8000);
# - HUHANG_PDF_FONT: a TrueType CJK font file for certificates (default: WenQuanYi Micro Hei, fonts-wqy-microhei).
HUHANG_EVIDENCE_MAX_BYTES = env_int("HUHANG_EVIDENCE_MAX_BYTES", default=200 * 1024 * 1024)
HUHANG_EVIDENCE_STORE = os.environ.get("HUHANG_EVIDENCE_STORE", "local")
HUHANG_EVIDENCE_DIR = Path(os.environ.get("HUHANG_EVIDENCE_DIR", str(DATA_DIR / "evidence"))).resolve()
HUHANG_EVIDENCE_S3_ENDPOINT = os.environ.get("HUHANG_EVIDENCE_S3_ENDPOINT", "").strip()
HUHANG_EVIDENCE_S3_BUCKET = os.environ.get("HUHANG_EVIDENCE_S3_BUCKET", "").strip()
HUHANG_EVIDENCE_S3_REGION = os.environ.get("HUHANG_EVIDENCE_S3_REGION", "").strip() or "us-east-1"
HUHANG_EVIDENCE_S3_ACCESS_KEY = os.environ.get("HUHANG_EVIDENCE_S3_ACCESS_KEY", "")
HUHANG_EVIDENCE_S3_SECRET_KEY = os.environ.get("HUHANG_EVIDENCE_S3_SECRET_KEY", "")
HUHANG_EVIDENCE_S3_PREFIX = os.environ.get("HUHANG_EVIDENCE_S3_PREFIX", "evidence/")
HUHANG_PUBLIC_URL = os.environ.get("HUHANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
HUHANG_PDF_FONT = os.environ.get("HUHANG_PDF_FONT", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huhang.accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "huhang.site.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["huhang.site.throttling.ApiUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("HUHANG_API_RATE", "6000/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huhang (护航) API",
    "DESCRIPTION": "Registry of entities, IP rights, filings and the service network. "
    "Partner systems authenticate with `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUHANG_LOG_LEVEL", "WARNING")},
}

if env_bool("HUHANG_TESTING", default=False):
    # Tests: a fast hasher; the password rules are still exercised by their own tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
    # Tasks run at once, in the request; tests of the real queue switch to the database backend.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
