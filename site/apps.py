from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class KodaConfig(AppConfig):
    name = "koda"

    def ready(self):
        from koda import checks  # noqa: F401 (registers the project's system checks)
        from koda.generations import begin_request, end_request

        request_started.connect(begin_request, dispatch_uid="koda-generations-begin")
        request_finished.connect(end_request, dispatch_uid="koda-generations-end")
