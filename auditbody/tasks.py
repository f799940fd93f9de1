from celery import shared_task


@shared_task
def ping():
    """Health check: proves a task reaches a worker and its result comes back."""
    return "pong"
