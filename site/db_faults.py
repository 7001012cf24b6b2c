"""A database that is briefly unavailable is answered 503 with "nothing was saved", not 500.

SQLite's write lock held past its timeout ("database is locked"), a PostgreSQL connection
dropped by a restart or a failover, a server not accepting connections yet: Django raises
OperationalError or InterfaceError out of the view. Every action that writes is one transaction
(the rooms' services), rolled back by the time the error leaves the view, so the page can say that
nothing of it was stored, in the visitor's language, and to try again in a moment
(Retry-After).

A page that only reads (GET, HEAD, OPTIONS) is tried once more first, on a fresh connection: a
dropped connection is usually back by then. A form is never sent again on the person's behalf;
whether to repeat an action is theirs to decide. Nor is anything retried inside a transaction
still open around the view: a retry would carry on in a transaction the error broke.

A connection that dropped while idle between requests is replaced before the next request uses
it by Django's CONN_HEALTH_CHECKS (settings); this covers the drop during a request.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RETRY_AFTER_SECONDS = 5


def _fresh_connections() -> bool:
    """Close the open connections so the next query connects anew. False, closing nothing, when
    one of them is inside a transaction: that transaction is not this middleware's to end."""
    opened = connections.all(initialized_only=True)
    if any(connection.in_atomic_block for connection in opened):
        return False
    for connection in opened:
        connection.close()
    return True


def unavailable(request) -> HttpResponse:
    """The 503 page. It stands alone: the site's base template reads the database (menus,
    settings, the notification count), which is just what is not answering."""
    html = render_to_string(
        "503_database.html",
        {
            "sent": request.method not in SAFE_METHODS,
            "home": reverse("wagtail_serve", args=[""]),
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view's OperationalError or InterfaceError (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TRANSIENT):
            return None
        if request.method in SAFE_METHODS and _fresh_connections():
            log.warning(
                "The database failed during %s %s (%s); trying once more.",
                request.method,
                request.path,
                exception,
            )
            try:
                return self._view_again(request)
            except TRANSIENT as again:
                exception = again
        log.error(
            "The database is unavailable: %s %s answered 503.",
            request.method,
            request.path,
            exc_info=exception,
        )
        return unavailable(request)

    @staticmethod
    def _view_again(request):
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
