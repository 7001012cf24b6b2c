from django.apps import AppConfig


class SearchBenchConfig(AppConfig):
    name = "tests.bench.benchapp"
    label = "searchbench"  # "benchapp" would say nothing in table and index names
    default_auto_field = "django.db.models.AutoField"
