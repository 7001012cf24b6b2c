from django.core.management.base import BaseCommand

from forum.inbox.digests import send_digests
from forum.members.models import Profile


class Command(BaseCommand):
    help = (
        "E-mail the daily or weekly digest to those who chose it: notifications about what they "
        "follow, and new discussions, accepted answers, helpful good practices and new issues "
        "in the tags, counties, themes and kinds they follow. "
        "Meant for a scheduler: run the daily one every day and the weekly one every week; a "
        "person is never sent a digest more often than their period."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", choices=[Profile.Delivery.DAILY, Profile.Delivery.WEEKLY])

    def handle(self, *args, period, **options):
        sent = send_digests(period)
        self.stdout.write(f"{sent} {period} digest(s) sent.")
