"""The Content-Security-Policy header: the site's strict policy everywhere, loosened only under
Wagtail's admin, and there only in the directives named in KODA_ADMIN_CSP_REPLACE (settings)."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.urls import reverse


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp_replace still wins over the admin's.
        if not report_only and parts.replace is None and _is_admin(request):
            parts.replace = settings.KODA_ADMIN_CSP_REPLACE
        return parts


def _is_admin(request) -> bool:
    return request.path_info.startswith(reverse("wagtailadmin_home"))
