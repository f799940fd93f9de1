from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from certification import urls as certification_urls
from clients import urls as clients_urls
from core.access import AUTHENTICATED, PUBLIC, access
from dashboard import urls as dashboard_urls
from portal import certificate_urls as portal_certificate_urls
from portal import urls as portal_urls

# The client portal lives under clients/portal/ and in the clients namespace (clients:portal_*),
# where its pages always were; clients itself does not know the portal, which sits above it.
clients_and_portal = ([*clients_urls.urlpatterns, path("portal/", include(portal_urls))], clients_urls.app_name)
# The portal's "My certificates" likewise keeps its path and name in certification
# (certification:portal_certificates, certification/certificates/mine/).
certification_and_portal = (
    [*certification_urls.urlpatterns, *portal_certificate_urls.urlpatterns],
    certification_urls.app_name,
)

urlpatterns = [
    path("", include(dashboard_urls.home_patterns)),  # each role's start page, named accounts:home
    path("dashboard/", include("dashboard.urls")),
    path("", include("people.urls")),  # auditors/…
    path("standards/", include("standards.urls")),
    path("clients/", include(clients_and_portal)),
    path("audits/nc/", include("findings.urls")),  # the NC pages keep the paths they had in audits
    path("audits/", include("audits.urls")),
    path("reports/", include("reports.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("stage1/", include("stage1.urls")),
    path("certification/", include(certification_and_portal)),
    path("verify/", include("certification.public_urls")),
    path("regulator/", include("regulator.urls")),
    path("applications/", include("applications.urls")),
    path("complain/", include("complaints.public_urls")),
    path("complaints/", include("complaints.urls")),
    path("activity/", include("activity.urls")),
    path("figures/", include("dashboard.chart_urls")),  # the CB's figures and the digest choice
    path("login/", access(PUBLIC)(auth_views.LoginView.as_view()), name="login"),
    path("logout/", access(PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        access(AUTHENTICATED)(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        access(AUTHENTICATED)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # A user the CB created sets their own password through this link (accounts.invitations).
    path(
        "password/set/<uidb64>/<token>/",
        access(PUBLIC)(auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_set_done"))),
        name="password_set",
    ),
    path(
        "password/set/done/",
        access(PUBLIC)(auth_views.PasswordResetCompleteView.as_view()),
        name="password_set_done",
    ),
    path("i18n/setlang/", access(PUBLIC)(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
