from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from koda.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup PATH`: checks every file against the manifest, then "
        "restores the database and the media and rebuilds the search index. Only into an empty "
        "database and MEDIA_ROOT unless --force. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup's folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database and MEDIA_ROOT that are not empty",
        )

    def handle(self, *args, path, force=False, **options):
        try:
            manifest = restore(Path(path), force=force, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']} from {path}; "
                "the search index is rebuilt."
            )
        )
