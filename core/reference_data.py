"""Rows the data migrations ship (beat schedules, reason codes) must also survive ``flush``, which
browser tests and transactional tests run: an app's ``ready`` connects ``ensure_after_migrate``
to re-run those migrations' idempotent ``create`` functions after every migrate and flush.
A CB's own changes are left alone, because each ``create`` only adds what is missing."""

from importlib import import_module


def ensure_after_migrate(*migrations):
    """A post_migrate receiver running ``create(apps, None)`` of each ``"app.migrations.module"``."""

    def receiver(sender, using="default", apps=None, **kwargs):
        if using != "default":
            return
        if apps is None:  # flush sends no app registry: the current models are the right ones
            from django.apps import apps
        for path in migrations:
            try:
                import_module(path).create(apps, None)
            except LookupError:  # migrated back below the models the migration fills
                return

    return receiver
