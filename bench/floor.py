"""The framework floor of the load test (bench/load.py): the project's URLs plus one minimal page,
``/_floor/audits/``, served by the same gunicorn through the same middleware (sessions, CSRF,
authentication, access rules, CSP). It shows the same 50 audit rows as the audit list's first page
for a CB administrator (newest start date first) in one query and a bare template, so a page's
time over the floor's is what the page itself adds: its queries, forms, navigation and template.

Benchmark code, not the app: only bench/floor_settings.py (ROOT_URLCONF) points here.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from audits.models import Audit
from core.access import AUTHENTICATED, access

# No base layout, no navigation, no forms: the rows and nothing else.
TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="en"><title>Audits</title><table>
{% for audit in audits %}<tr><td>{{ audit.client.name_zh }}</td><td>{{ audit.get_audit_type_display }}</td>
<td>{{ audit.start_date }}–{{ audit.end_date }}</td><td>{{ audit.get_status_display }}</td></tr>
{% endfor %}</table></html>"""
)


@access(AUTHENTICATED)  # every view declares its rule (core.middleware.AccessRuleMiddleware)
def floor_audits(request):
    audits = Audit.objects.select_related("client").order_by("-start_date", "-pk")[:50]
    return HttpResponse(TEMPLATE.render({"audits": audits}, request))


urlpatterns = [
    path("_floor/audits/", floor_audits, name="floor_audits"),
    path("", include("auditbody.urls")),
]
