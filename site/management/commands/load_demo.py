from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from koda.demo import forum as forum_demo
from koda.demo.pages import load_site


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

    @transaction.atomic
    def handle(self, *args, no_accounts=False, **options):
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
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
