from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from koda.demo import forum as forum_demo
from koda.demo.pages import load_site
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models


class Command(BaseCommand):
    help = (
        "Load the demo content: the public page tree from the Koda's own text, fictional "
        "organisations and, in DEBUG only, the demo accounts (password 'demo'). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Do not create the demo accounts even in DEBUG.",
        )
        parser.add_argument(
            "--index",
            action="store_true",
            help="Rebuild the search index if the demo changed anything or it cannot answer.",
        )

    def handle(self, *args, no_accounts=False, index=False, **options):
        self.stdout.write("Loading the demo content...")
        changes = []

        def count(sender, **kwargs):
            changes.append(sender)

        post_save.connect(count, weak=False)
        post_delete.connect(count, weak=False)
        try:
            self._load(no_accounts)
        finally:
            post_save.disconnect(count)
            post_delete.disconnect(count)
        if index and (changes or not _index_answers()):
            self.stdout.write("Building the search index...")
            call_command("update_index", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content is loaded." if changes else "Demo content was already loaded."
            )
        )

    @transaction.atomic
    def _load(self, no_accounts):
        load_site()
        organizations = forum_demo.load_organizations()
        forum_demo.load_applicant()
        if settings.DEBUG and not no_accounts:
            forum_demo.load_accounts(organizations)
            forum_demo.load_issues()
            self.stdout.write(
                "Demo accounts: " + ", ".join(forum_demo.ACCOUNTS) + " (password 'demo')."
            )
        elif not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts were created.")


def _index_answers() -> bool:
    """Whether the search index answers for every indexed model (it does not before the first
    build, nor after an upgrade of its schema or analysis)."""
    backend = get_search_backend()
    try:
        for model in get_indexed_models():
            list(backend.search("koda", model.objects.all())[:1])
    except Exception:  # whatever the backend's reason, a rebuild is what makes it answer
        return False
    return True
