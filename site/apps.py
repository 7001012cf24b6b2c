from django.apps import AppConfig


class KodaConfig(AppConfig):
    name = "koda"

    def ready(self):
        from koda import checks  # noqa: F401 (registers the project's system checks)
