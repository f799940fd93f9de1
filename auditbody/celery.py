"""The Celery application.

Without CELERY_BROKER_URL tasks run eagerly in-process (see settings); with it, a real
broker and `celery -A auditbody worker` run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")

app = Celery("auditbody")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
