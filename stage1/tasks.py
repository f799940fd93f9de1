"""Celery task of the stage 1 review: a thin wrapper around ``services.stage1_review_run``,
queued by ``services.stage1_review_request`` with ``transaction.on_commit``."""

from celery import shared_task

from . import services


@shared_task(name="stage1.tasks.run_document_review")
def run_document_review(review_id: int) -> str:
    review = services.stage1_review_run(review_id=review_id)
    return review.status if review is not None else "skipped"
