from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from forum.personal_data.erasure import erase_member, is_erased


class Command(BaseCommand):
    help = (
        "Erase a member's account at their request (GDPR): name, e-mail, password, memberships, "
        "follows and notifications go; their posts stay, shown under their organisation only."
    )

    def add_arguments(self, parser):
        parser.add_argument("member", help="The username or e-mail address.")

    def handle(self, *args, member, **options):
        matches = list(
            get_user_model().objects.filter(Q(username=member) | Q(email__iexact=member))[:2]
        )
        if len(matches) != 1:
            raise CommandError(
                f"No account is “{member}”." if not matches else f"Several accounts are “{member}”."
            )
        (user,) = matches
        if is_erased(user):
            self.stdout.write(f"Account {user.pk} is already erased.")
            return
        try:
            kept = erase_member(member=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        posts = ", ".join(f"{count} {name}(s)" for name, count in kept.items())
        self.stdout.write(f"Erased account {user.pk}; kept without a name: {posts}.")
