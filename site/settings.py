"""Koda's one settings module: read from the environment, with embedded defaults.

Every default lets `make run` work on a fresh machine with nothing but Python (SQLite, a
Whoosh index, local-memory cache, console e-mail, all under KODA_VAR_DIR). Production sets
DJANGO_DEBUG=false and must then provide a secret key and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR / "site"

env = environ.Env()

# The one folder the running site writes to: database file, search index, media, static files.
VAR_DIR = Path(env("KODA_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    try:
        SECRET_KEY = env("DJANGO_SECRET_KEY")
        ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required when DJANGO_DEBUG is off."
        ) from error

INSTALLED_APPS = [
    "koda",
    "cms",
    "forum",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so cached and fresh pages carry the same, current policy.
    "koda.content_security.CSPMiddleware",
    # Before sessions and the database: a visitor's public page may come whole from the cache.
    "cms.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After any write request: the forum's cached fragments are orphaned (forum/members/cache.py).
    "forum.members.cache.WriteInvalidatesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Refusals marked on the request become answers: a locked-out sign-in (django-axes, last as
    # its docs ask) and a post over its rate limit (koda.ratelimit), both 429.
    "koda.ratelimit.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so the first asked about a view's exception (process_exception runs bottom up): a
    # database briefly unavailable is answered 503, "nothing was saved" (koda/db_faults.py).
    "koda.db_faults.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "koda.urls"
WSGI_APPLICATION = "koda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each room of the forum keeps its templates beside its views (forum/<room>/templates).
        "DIRS": [PROJECT_DIR / "templates", *sorted(BASE_DIR.glob("forum/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "forum.context_processors.forum",
            ],
        },
    },
]

# Database: SQLite under KODA_VAR_DIR unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'koda.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock when a transaction
    # starts, so two concurrent writers wait for each other instead of failing mid-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, so that psycopg prepares a statement sent five times on a
    # connection: PostgreSQL then plans each page's queries once per connection, not per request
    # (the 200-comment issue page in-process at scale small: 10.1 -> 9.4 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "server_side_binding", env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    )
# A connection is kept for the requests of the next minute: opening one (and, on SQLite, setting
# its journal mode) cost a signed-in person's page more than the page's own queries.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://koda")}
if env("CACHE_URL", default=""):
    # The rendered fragments ({% cache %}, the search's results): the shared cache, with what a
    # worker read lately kept in the worker too (koda/near_cache.py; their keys name the
    # generation of what they show, so a copy is never stale).
    CACHES["template_fragments"] = {
        "BACKEND": "koda.near_cache.NearCache",
        "LOCATION": "default",
        "OPTIONS": {"MAX_BYTES": env.int("KODA_NEAR_CACHE_BYTES", default=16 * 1024 * 1024)},
    }
# How long a visitor's public page may be served from the cache (cms/page_cache.py); any change
# a visitor could see invalidates it sooner. 0 turns the cache off.
KODA_PAGE_CACHE_SECONDS = env.int("KODA_PAGE_CACHE_SECONDS", default=300)
# How long the forum's shared fragments (forum/members/cache.py) may be kept; any write
# invalidates them sooner. Off unless the cache is shared by all workers (CACHE_URL): a
# per-process cache would miss the other workers' writes.
KODA_FORUM_CACHE_SECONDS = env.int(
    "KODA_FORUM_CACHE_SECONDS", default=300 if env("CACHE_URL", default="") else 0
)
# Sessions are read from the shared cache on every signed-in request and written through to
# the database, so a restart of the cache signs nobody out. With the embedded per-process cache,
# a session changed in one worker would be stale in another: the database alone then.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env("CACHE_URL", default="")
    else "django.contrib.sessions.backends.db"
)
# Retention: days after an issue ended (closed, resolved, merged, escalated) before
# `manage.py apply_retention` replaces its text and its comments' text
# (forum/personal_data/retention.py).
KODA_RETENTION_DAYS = env.int("KODA_RETENTION_DAYS", default=730)

# Background work (search indexing, reference index, mail): run at once in the request by
# default; production may name a queue backend such as django-tasks-db's with its worker.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")
    }
}
if TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
    # The queue in the database (django-tasks-db), worked by `manage.py db_worker`.
    INSTALLED_APPS.append("django_tasks_db")

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Mail goes through the outbox (forum.notifications.outbox): stored with what caused it, then
# delivered by the backend EMAIL_URL names, and retried while the mail server is down
# (send_queued_mail).
KODA_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F821 (set from EMAIL_URL just above)
EMAIL_BACKEND = "forum.notifications.outbox.QueueBackend"
KODA_EMAIL_MAX_ATTEMPTS = env.int("KODA_EMAIL_MAX_ATTEMPTS", default=12)  # about 1.5 days
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # a hung server must not hold a worker
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Lapse Huvikaitse Koda <info@koda.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Estonian first (unprefixed URLs), English under /en/.
# Dates as each language writes them (site/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["koda.formats"]
LANGUAGE_CODE = "et"
LANGUAGES = [("et", "Eesti"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Tallinn"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
# Uploads; with several app servers, a folder they share (KODA_MEDIA_ROOT).
MEDIA_ROOT = Path(env("KODA_MEDIA_ROOT", default=str(VAR_DIR / "media"))).resolve()
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

# Wagtail
WAGTAIL_SITE_NAME = "Lapse Huvikaitse Koda"
# ASCII slugs ("varske-uudis") survive copying and pasting into every mail client and chat.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The site's public address: links in e-mails (invitations, notifications) are built from it.
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000" if DEBUG else None
)
if not WAGTAILADMIN_BASE_URL:
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL is required when DJANGO_DEBUG is off.")
# Search: the project's Whoosh backend with its index under KODA_VAR_DIR. SEARCH_BACKEND may
# name another modelsearch backend: "search.backends.postgres" for several hosts on PostgreSQL
# (with the same Estonian analysis), OpenSearch or Elasticsearch (see the README).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": env("SEARCH_BACKEND", default="search.backends.whoosh"),
        "PATH": str(VAR_DIR / "search"),
        "LANGUAGE": "et",
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "xlsx", "ods", "csv"]
# Editors' documents and pictures are read and refused with a personal identification code in
# them, as the forum's attachments are (forum/core/documents.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "forum.core.documents.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "forum.core.documents.ImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always pass through Wagtail's serve view (its before_serve_document hooks decide who
# may read a forum attachment), never a redirect to /media/, and are always downloaded, never
# opened inline in the site's origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it can carry script
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Shared-password privacy stores the password in plain text; sign-in privacy is enough. Off for
# pages and for collections of documents alike.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No Gravatar: editors' e-mail hashes stay here, and the admin loads no third-party images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for news: upgrades come through pyproject.toml.
WAGTAIL_ENABLE_UPDATE_CHECK = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True
# Tags keep their own letters in slugs ("järjekorrad", "школа"): stripping them to ASCII would
# leave tags in Russian, used by members in Ida-Virumaa, with no slug at all.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "forum:issue_list"
LOGOUT_REDIRECT_URL = "/"

# Sign-in protection (django-axes), for the site's sign-in and Wagtail's admin sign-in alike:
# after KODA_SIGNIN_FAILURE_LIMIT failed attempts for one account from one address, that pair is
# refused (even with the right password) until KODA_SIGNIN_COOLOFF_MINUTES pass without another
# try. The pair, not the account alone, so nobody can lock a member out from elsewhere. Attempts
# are kept in the database (axes_accessattempt): every worker sees them without a shared cache
# (the embedded default is a per-process one), and a record of attacks remains.
AUTHENTICATION_BACKENDS = [
    "koda.ratelimit.SignInAddressLimit",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("KODA_SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KODA_SIGNIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "koda.ratelimit.locked_out"  # the locked-out page, status 429
AXES_CLIENT_IP_CALLABLE = "koda.ratelimit.client_address"
AXES_USERNAME_CALLABLE = "koda.ratelimit.signin_username"  # never stores a typed code
# Successful sign-ins are not logged with address and browser: nothing needs that personal data.
AXES_DISABLE_ACCESS_LOG = True

# Rate limits (koda.ratelimit): per action, at most N posts per window of S seconds for a person
# ("person"; "new_member" while the account is younger than KODA_NEW_MEMBER_DAYS) and for an
# address ("address": generous, as an organisation's office shares one). An action not listed,
# or a scope not given, is not limited. Windows: 600 s = 10 minutes, 3600 s = an hour.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "koda.password_reset.AdminPasswordResetForm"
KODA_NEW_MEMBER_DAYS = 7
KODA_RATE_LIMITS = {
    "issue": {"person": (10, 3600), "new_member": (3, 3600), "address": (30, 3600)},
    "discussion": {"person": (10, 3600), "new_member": (3, 3600), "address": (30, 3600)},
    # Posts with files, valid or refused: each is read in full (koda.ratelimit).
    "attachments": {"person": (20, 3600), "new_member": (6, 3600), "address": (60, 3600)},
    # Edits of one's issues, comments, discussions and replies, counted together.
    "edit": {"person": (60, 3600), "new_member": (20, 3600), "address": (180, 3600)},
    "comment": {"person": (20, 600), "new_member": (5, 600), "address": (60, 600)},
    "reply": {"person": (20, 600), "new_member": (5, 600), "address": (60, 600)},
    "support": {"person": (30, 600), "new_member": (10, 600), "address": (90, 600)},
    "flag": {"person": (20, 3600), "new_member": (5, 3600), "address": (60, 3600)},
    "invitation": {"person": (40, 3600), "new_member": (15, 3600), "address": (120, 3600)},
    "join": {"address": (5, 3600)},
    # Password-reset mail, per typed address (an account or not) and per requesting address
    # (koda.password_reset): nobody can flood a member's inbox. Over a limit nothing is sent
    # and the answer is the same, so the limits tell nobody whether an account exists.
    "password_reset": {"account": (3, 3600), "address": (10, 3600)},
    # Failed sign-ins from one address, whatever the accounts (koda.ratelimit.SignInAddressLimit).
    "signin": {"address": (30, 900)},
}
# How many proxies in front of the app append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
# Behind one TLS proxy set 1, or every visitor shares the proxy's address in the limits above.
KODA_TRUSTED_PROXIES = env.int("KODA_TRUSTED_PROXIES", default=0)

# Security: on whenever DEBUG is off; `check --deploy --fail-level WARNING` is clean then.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): no inline script, no script from elsewhere, so markup that
# slips through a filter cannot run; no framing, no <base> or form redirection, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin (8.0) still runs inline scripts (chooser widgets, inline panels, date pickers,
# fragments that jQuery evaluates) and inline styles its libraries insert, and frames its own
# previews: only these directives are loosened, only under /admin/ (koda/content_security.py).
KODA_ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal": {"()": "koda.log_filters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusal"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
