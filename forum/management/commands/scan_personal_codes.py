from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst

from forum.members.permissions import is_coordinator
from forum.moderation.scan import CODE, hide_hits, scan_all, where_to_fix


class Command(BaseCommand):
    help = (
        "Look for valid personal identification codes (isikukood) already stored: in every text "
        "and JSON field of the database (revisions included), in the stored documents and in the "
        "search index. Each is reported by object, field and position, never the code itself. "
        "Exits with 1 when something is found, for a scheduler to alert on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hide",
            action="store_true",
            help="Hide the forum posts found (issues, comments, discussions, replies) for a "
            "coordinator's review; the rest is reported for a person to correct.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="The coordinator who hides (required with --hide).",
        )

    def handle(self, *args, hide=False, username=None, **options):
        # The coordinator is checked before the scan, so a mistyped name costs nothing.
        moderator = self._coordinator(username) if hide else None
        scan = scan_all()
        outcomes = hide_hits(scan.hits, moderator) if hide else {}
        for hit in scan.hits:
            unit = "word" if hit.source == "index" else "character"
            at = f", at {unit} {hit.position}" if hit.position is not None else ""
            outcome = outcomes.get((hit.model, hit.pk), "")
            if not outcome.startswith("hidden"):
                outcome = f"{outcome}; " if outcome else ""
                outcome = f"{outcome}needs a person: {where_to_fix(hit)}"
            self.stdout.write(
                f"{hit.where}, field {hit.field}{at}: {hit.problem}. {capfirst(outcome)}."
            )
        for note in scan.notes:
            self.stdout.write(note)
        codes = sum(hit.problem == CODE for hit in scan.hits)
        summary = (
            f"Read {scan.objects} objects, {scan.fields} fields, {scan.documents} documents, "
            f"{scan.index_terms} index terms: {codes} hits, "
            f"{len(scan.hits) - codes} not checked."
        )
        if scan.hits:
            # CommandError's exit status, 1, is what a scheduler alerts on.
            self.stdout.write(summary)
            raise CommandError(
                "Personal identification codes found, or text that could not be checked.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(summary))

    @staticmethod
    def _coordinator(username):
        if not username:
            raise CommandError("--hide needs --as USERNAME: the coordinator who hides.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is “{username}”.")
        if not is_coordinator(user):
            raise CommandError(f"“{username}” is not an active coordinator: only they may hide.")
        return user
