"""E-mail leaves the request as django-tasks tasks: run at once by the default immediate
backend (a failure is recorded on the task, never raised into the action that sent it), or by
a queue backend's worker in production (TASKS_BACKEND)."""

from django_tasks import task


@task()
def email_notifications(notification_ids: list[int]) -> None:
    from .services.notifications import send_immediately

    send_immediately(notification_ids)


@task()
def email_application(organization_id: int, language: str) -> None:
    from .models import Organization
    from .services.membership import send_application_mails

    send_application_mails(Organization.objects.get(pk=organization_id), language)


@task()
def email_invitation(invitation_id: int, language: str) -> None:
    from .models import Invitation
    from .services.membership import send_invitation

    send_invitation(Invitation.objects.get(pk=invitation_id), language)


@task()
def deliver_mail() -> None:
    from .outbox import deliver_due

    deliver_due()
