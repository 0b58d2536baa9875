"""MotCua settings.

Everything that differs between a laptop demo and a province's production servers comes from
environment variables; the defaults run the demo on SQLite with no other service.
See docs/operations.md for the production set-up.
"""

from __future__ import annotations

import json
import os
import secrets
import warnings
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_json(name: str) -> dict[str, Any]:
    try:
        value = json.loads(os.environ.get(name, "") or "{}")
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from error
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Take the key from the environment, or generate one once into an ignored file."""
    if key := os.environ.get("MOTCUA_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MOTCUA_DEBUG")
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",  # serves Swagger UI from its own static files: kiosks and offices have no CDN
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.queueing",
    "motcua.dossiers",
    "motcua.identity",
    "motcua.online",
    "motcua.feedback",
    "motcua.reports",
    "motcua.notifications",
    "motcua.devices",
    "motcua.kiosk",
    "motcua.console",
    "motcua.board",
    "motcua.portal",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Databases: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=int(os.environ.get("MOTCUA_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing with "database is locked" mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    pool_size := int(os.environ.get("MOTCUA_DB_POOL_SIZE", "0"))
):
    # An in-process connection pool per worker (psycopg-pool): +37 % tickets/s in bench/queue_load.py.
    # CONN_MAX_AGE must stay 0 with it (Django refuses both).
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": min(2, pool_size), "max_size": pool_size}}
if test_name := os.environ.get("MOTCUA_TEST_DB_NAME"):
    # A SQLite test database named this way is a file: keep it in the var folder, not the checkout.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and "/" not in test_name:
        test_name = str(VAR_DIR / test_name)
    DATABASES["default"]["TEST"] = {"NAME": test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/admin/login/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.ThrottledModelBackend"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
# The demo serves static files straight from the source folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = True
# WhiteNoise hands ASGI a synchronous file iterator; Django serves it correctly but warns on
# every static file. Production puts static files behind nginx (docs/operations.md).
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads and papers (personal data) go through Django's storage API only, never a file path, so an
# S3-compatible object store can hold them: MOTCUA_STORAGE_BACKEND=storages.backends.s3.S3Storage
# (pip install "django-storages[s3]") and its options as JSON in MOTCUA_STORAGE_OPTIONS
# (docs/operations.md §6c). Static files stay with WhiteNoise / nginx.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MOTCUA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("MOTCUA_STORAGE_OPTIONS"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
}

# Notices to citizens by e-mail (dossier acceptance, supplement, result…). The demo prints them
# on the console; production sets an SMTP backend (docs/operations.md §6b).
EMAIL_BACKEND = os.environ.get("MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_DEFAULT_FROM_EMAIL", "MotCua <no-reply@motcua.local>")

# --- MotCua business settings -------------------------------------------------------------
# Rules marked [K] in DOMAIN.md are unverified, so they are settings, not constants.
MOTCUA: dict[str, Any] = {
    "PROVINCE_NAME": os.environ.get("MOTCUA_PROVINCE_NAME", "Thành phố Cần Thơ"),
    "PROVINCE_NAME_EN": os.environ.get("MOTCUA_PROVINCE_NAME_EN", "Can Tho City"),
    # Calendar-day procedures: count holidays as days (False) or skip them (True).
    "CALENDAR_DAYS_SKIP_HOLIDAYS": env_bool("MOTCUA_CALENDAR_DAYS_SKIP_HOLIDAYS"),
    # Default working sessions used for deadline arithmetic when a center has none configured.
    "DEFAULT_WORKING_SESSIONS": [("07:00", "11:30"), ("13:30", "17:00")],
    "DEFAULT_RECEPTION_SESSIONS": [("07:00", "10:30"), ("13:00", "16:30")],
    "WORKING_HOURS_PER_DAY": 8,
    "SAME_DAY_CUTOFF": "15:00",
    # Each worker keeps a center's calendar in memory this long; an admin edit reaches the
    # other workers within this many seconds (the worker that saved it sees it at once).
    "CALENDAR_CACHE_SECONDS": int(os.environ.get("MOTCUA_CALENDAR_CACHE_SECONDS", "60")),
    # Login throttling: this many failures per username+IP inside the window locks it out.
    "LOGIN_MAX_FAILURES": int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "5")),
    "LOGIN_LOCKOUT_SECONDS": int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_SECONDS", "900")),
    # --- queue (issue 3) ---
    # At most this many priority tickets in a row at one counter before a normal one is called.
    "QUEUE_MAX_PRIORITY_IN_ROW": int(os.environ.get("MOTCUA_QUEUE_MAX_PRIORITY_IN_ROW", "3")),
    # Waiting-time estimate: recent services looked at, and how many are needed before they
    # replace the queue's default service time.
    "ETA_WINDOW_MINUTES": int(os.environ.get("MOTCUA_ETA_WINDOW_MINUTES", "120")),
    "ETA_MIN_SAMPLE": int(os.environ.get("MOTCUA_ETA_MIN_SAMPLE", "5")),
    # Boards: how many recent calls are listed.
    "BOARD_RECENT_CALLS": int(os.environ.get("MOTCUA_BOARD_RECENT_CALLS", "8")),
    # Voice: espeak-ng binary, cache of generated WAV files, optional folder of recorded clips.
    "VOICE_ESPEAK": os.environ.get("MOTCUA_VOICE_ESPEAK", "espeak-ng"),
    "VOICE_CACHE_DIR": Path(os.environ.get("MOTCUA_VOICE_CACHE_DIR", VAR_DIR / "voice")),
    "VOICE_CLIPS_DIR": os.environ.get("MOTCUA_VOICE_CLIPS_DIR", ""),
    "VOICE_NAME": os.environ.get("MOTCUA_VOICE_NAME", "vi"),  # espeak-ng voice; vi-vn-x-south for the South
    # Outbox (slips to printers…): "thread" delivers right after commit on a short thread,
    # "worker" leaves everything to `manage.py outbox_drain`, "inline" is for tests.
    "OUTBOX_DELIVERY": os.environ.get("MOTCUA_OUTBOX_DELIVERY", "thread"),
    "OUTBOX_MAX_ATTEMPTS": int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "5")),
    "OUTBOX_RETRY_SECONDS": 15,  # doubled after every failed attempt…
    "OUTBOX_RETRY_MAX_SECONDS": 1800,  # …up to this pause
    "OUTBOX_LEASE_SECONDS": 300,  # a message claimed by a worker that died is retried after this
    "PRINTER_TIMEOUT_SECONDS": 5,
    "PRINTER_LATE_SECONDS": 60,  # a slip still unsent after this is shown to staff
    "PRINTER_PROBLEM_HOURS": 12,  # how far back the console looks for printer problems
    # --- dossiers (issue 4) ---
    # Official dossier code (DOMAIN.md §2.3): fields unit, agency, date, aa, seq (last). The
    # centralised format of Circular 04/2025 is "{agency}-{date:%y%m%d}-{aa}{seq:04d}".
    "DOSSIER_CODE_FORMAT": os.environ.get("MOTCUA_DOSSIER_CODE_FORMAT", "{unit}-{date:%y%m%d}-{seq:04d}"),
    "DOSSIER_CODE_AA": os.environ.get("MOTCUA_DOSSIER_CODE_AA", ""),
    # Fee collection methods offered at the counter ([K] DOMAIN §1.2 row 10).
    "FEE_METHODS": [
        ("cash", _("Tiền mặt")),
        ("transfer", _("Chuyển khoản")),
        ("online", _("Thanh toán trực tuyến")),
    ],
    # Paper accepted by this time is forwarded to the agency the same working day, later ones
    # by the start of the next ([K] rule 5).
    "FORWARD_CUTOFF": os.environ.get("MOTCUA_FORWARD_CUTOFF", "15:00"),
    # Deadline job: a dossier is flagged "at risk" this many working hours before its due time.
    "DOSSIER_AT_RISK_WORKING_HOURS": int(os.environ.get("MOTCUA_DOSSIER_AT_RISK_WORKING_HOURS", "8")),
    # Apology letters: how many per dossier, how many working days before the due time at the
    # latest, and whether a later one is refused ("block") or only warned about ("warn") ([K] rule 8).
    "APOLOGY_MAX_PER_DOSSIER": int(os.environ.get("MOTCUA_APOLOGY_MAX_PER_DOSSIER", "1")),
    "APOLOGY_LEAD_WORKING_DAYS": int(os.environ.get("MOTCUA_APOLOGY_LEAD_WORKING_DAYS", "1")),
    "APOLOGY_LATE_POLICY": os.environ.get("MOTCUA_APOLOGY_LATE_POLICY", "warn"),
    # Whether the clock stops while the citizen pays (status 6); DOMAIN is silent.
    "DOSSIER_PAUSE_IN_PAYMENT": env_bool("MOTCUA_DOSSIER_PAUSE_IN_PAYMENT"),
    # One reception-stage supplement request per dossier and visit ("once and in full", [K]).
    "DOSSIER_RECEPTION_SUPPLEMENT_ONCE_PER_VISIT": True,
    # Public look-up of personal details by code + ID number: attempts per IP per hour.
    "DOSSIER_LOOKUP_PER_HOUR": int(os.environ.get("MOTCUA_DOSSIER_LOOKUP_PER_HOUR", "20")),
    # SMS: "console" (log), "file" (one line per message under VAR_DIR/sms) or "http" (a gateway).
    "SMS_BACKEND": os.environ.get("MOTCUA_SMS_BACKEND", "file"),
    "SMS_HTTP_URL": os.environ.get("MOTCUA_SMS_HTTP_URL", ""),
    "SMS_HTTP_TOKEN": os.environ.get("MOTCUA_SMS_HTTP_TOKEN", ""),
    "SMS_HTTP_TIMEOUT_SECONDS": int(os.environ.get("MOTCUA_SMS_HTTP_TIMEOUT_SECONDS", "10")),
    "SMS_STRIP_DIACRITICS": env_bool("MOTCUA_SMS_STRIP_DIACRITICS"),  # gateways that want plain ASCII
    # --- identity and the citizen portal (issue 5) ---
    # Version of the portal's terms a citizen's consent records.
    "PORTAL_TERMS_VERSION": os.environ.get("MOTCUA_PORTAL_TERMS_VERSION", "2026-11"),
    # Face check at the kiosk (ADR 0009): descriptor distance at or below the threshold is a match
    # (dlib's documented operating point; see bench/face_check.py), and the quality and liveness
    # gates, measured against the person's own first frames.
    "FACE_MATCH_THRESHOLD": float(os.environ.get("MOTCUA_FACE_MATCH_THRESHOLD", "0.6")),
    "FACE_MIN_LUMINANCE": 45,
    "FACE_MIN_SHARPNESS": 20,
    "FACE_BASELINE_FRAMES": 3,
    "FACE_TURN_MARGIN": 0.10,
    "FACE_BLINK_CLOSED_RATIO": 0.65,
    "FACE_BLINK_OPEN_RATIO": 0.85,
    # Queue numbers a citizen may take from the portal per day.
    "WEB_TICKETS_PER_DAY": int(os.environ.get("MOTCUA_WEB_TICKETS_PER_DAY", "3")),
    # Face-check limits: checks per ID number an hour, per kiosk (and card reads per reader) a
    # minute; the chip photo's size; how long a match stays good for the next ticket.
    "FACE_CHECKS_PER_ID_PER_HOUR": int(os.environ.get("MOTCUA_FACE_CHECKS_PER_ID_PER_HOUR", "5")),
    "FACE_CHECKS_PER_KIOSK_PER_MINUTE": int(os.environ.get("MOTCUA_FACE_CHECKS_PER_KIOSK_PER_MINUTE", "10")),
    "FACE_PHOTO_MAX_BYTES": 1_000_000,
    "FACE_IDENTITY_KEEP_SECONDS": 300,
    # Demo mode: a reception officer enrols a reference photo instead of a card reader. Turn it off
    # in production (=0): it lets an officer put any photo under any ID number (each one is audited).
    "FACE_DEMO_ENROLMENT": env_bool("MOTCUA_FACE_DEMO_ENROLMENT", True),
    # How long a citizen's mobile-app sign-in (bearer token) lasts before they sign in again.
    "CITIZEN_TOKEN_DAYS": int(os.environ.get("MOTCUA_CITIZEN_TOKEN_DAYS", "90")),
    # Satisfaction (issue 6): how long after service a ticket may still be rated.
    "RATING_WINDOW_MINUTES": int(os.environ.get("MOTCUA_RATING_WINDOW_MINUTES", "120")),
    # Dashboards (issue 6, ADR 0010). Decision 766 group weights are unverified [K]: a partial dict
    # here overrides the defaults (publicity 18, progress 20, online 12, payment 10, satisfaction 18,
    # digitisation 22); the scores shown are estimates, the national portal owns the official ones.
    "REPORTS_766_WEIGHTS": env_json("MOTCUA_REPORTS_766_WEIGHTS"),
    "REPORTS_ONLINE_FEE_METHODS": env_list("MOTCUA_REPORTS_ONLINE_FEE_METHODS", "online"),
    # Closed days not rolled up yet are computed live when there are at most this many.
    "REPORTS_LIVE_MAX_DAYS": int(os.environ.get("MOTCUA_REPORTS_LIVE_MAX_DAYS", "3")),
    # Today's live facts are shared by every dashboard for this long (0: computed on each view).
    "REPORTS_LIVE_CACHE_SECONDS": int(os.environ.get("MOTCUA_REPORTS_LIVE_CACHE_SECONDS", "60")),
    # Staffing advice's default target: this share of citizens called within these minutes.
    "REPORTS_SERVICE_TARGET_SHARE": float(os.environ.get("MOTCUA_REPORTS_SERVICE_TARGET_SHARE", "0.8")),
    "REPORTS_SERVICE_TARGET_MINUTES": float(os.environ.get("MOTCUA_REPORTS_SERVICE_TARGET_MINUTES", "15")),
    # Excel/PDF exports run on a thread of the web process right after the click; turn it off when a
    # `reports_drain` timer builds them instead (several workers). Files are kept this many days.
    "REPORTS_EXPORT_IN_PROCESS": env_bool("MOTCUA_REPORTS_EXPORT_IN_PROCESS", True),
    "REPORTS_EXPORT_KEEP_DAYS": int(os.environ.get("MOTCUA_REPORTS_EXPORT_KEEP_DAYS", "7")),
    # Online submission: largest attachment accepted (the reverse proxy's body limit must allow it).
    "UPLOAD_MAX_MB": int(os.environ.get("MOTCUA_UPLOAD_MAX_MB", "10")),
    # Public address of the site, printed in the slip's QR code (the phone must reach it).
    "PUBLIC_URL": os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000"),
}
