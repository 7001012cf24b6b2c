"""Deliver the e-mail waiting in the outbox (forum.notifications.outbox): what a mail server outage
left behind, or everything when no task worker runs. Meant for a scheduler, every minute."""

from django.core.management.base import BaseCommand

from forum.notifications.models import OutgoingMail
from forum.notifications.outbox import deliver_due


class Command(BaseCommand):
    help = "Deliver the queued e-mail that is due, retrying what the mail server refused."

    def handle(self, *args, **options):
        delivered, failed = deliver_due()
        waiting = OutgoingMail.objects.filter(next_attempt__isnull=False).count()
        given_up = OutgoingMail.objects.filter(next_attempt__isnull=True).count()
        self.stdout.write(
            f"Delivered {delivered}, failed {failed}; {waiting} waiting, {given_up} given up."
        )
