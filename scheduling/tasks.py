from celery import shared_task

from .notifications import assignment_mail_send


@shared_task(name="scheduling.tasks.send_assignment_mail")
def send_assignment_mail(assignment_id: int) -> bool:
    return assignment_mail_send(assignment_id)
