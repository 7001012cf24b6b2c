from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Members' forum")

    def ready(self):
        from forum.core.privacy import guard_model_fields
        from forum.members.generation import connect_signals

        connect_signals()
        guard_model_fields()
