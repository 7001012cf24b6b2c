from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from koda.backup import VENDOR_NAMES, BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the media into the new folder PATH while the site runs: "
        "a consistent snapshot (SQLite's backup API, or pg_dump), the media files, and a "
        "manifest with every file's SHA-256. `restore PATH` puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a new (or empty) folder to write the backup into")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {VENDOR_NAMES[manifest['vendor']]} database and {media} media"
                f" files to {path}."
            )
        )
