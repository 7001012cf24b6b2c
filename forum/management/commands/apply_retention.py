from django.core.management.base import BaseCommand

from forum.personal_data.retention import (
    PLACEHOLDER,
    apply_retention,
    relabel_old_log_entries,
    retention_cutoff,
)


class Command(BaseCommand):
    help = (
        "Remove the text of issues that ended (closed, resolved, merged or escalated) longer "
        "than KODA_RETENTION_DAYS ago, and of their comments, keeping what the network counts. "
        "Meant for a scheduler (daily); running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = retention_cutoff()
        report = apply_retention(dry_run=dry_run)
        verb = "Would replace" if dry_run else "Replaced"
        for issue in report.issues:
            self.stdout.write(f"{verb} the text of issue {issue.pk} ({issue.get_status_display()})")
        self.stdout.write(
            f"{verb} the text of {len(report.issues)} issue(s) ended before {cutoff:%Y-%m-%d} "
            f"and of {report.comments} comment(s) with “{PLACEHOLDER}”; "
            f"{report.supports} local note(s) emptied, {report.revisions} revision(s) deleted."
        )
        if not dry_run:
            relabelled = report.log_entries + relabel_old_log_entries()
            self.stdout.write(f"{relabelled} audit log label(s) no longer quote the text.")
