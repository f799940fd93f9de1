import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditbody.settings")
application = get_wsgi_application()

# Production refuses to serve with a set-up the system checks call an error (core/checks.py: no
# shared cache), as ``manage.py`` commands already do; runserver runs the checks itself.
from django.conf import settings  # noqa: E402

if not settings.DEBUG:
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    _errors = [m for m in checks.run_checks(include_deployment_checks=True) if m.is_serious() and not m.is_silenced()]
    if _errors:
        raise ImproperlyConfigured("; ".join(f"{m.id}: {m.msg}" for m in _errors))
