from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Members' forum")

    def ready(self):
        from .cache import connect_signals

        connect_signals()
