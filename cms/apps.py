from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        from forum.core import public_site

        from .page_cache import connect_signals
        from .publishing import PublicSite

        connect_signals()
        public_site.register(PublicSite())
