"""E-mail is written to the outbox (forum.outbox) in the transaction of what caused it; this
task delivers it after the commit: run at once by the default immediate backend (a failure is
recorded on the task, never raised into the action that sent it), or by a queue backend's
worker in production (TASKS_BACKEND)."""

from django_tasks import task


@task()
def deliver_mail() -> None:
    from .outbox import deliver_due

    deliver_due()
