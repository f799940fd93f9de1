"""Staff pages of certification (namespace ``certification``): the committee's dashboard,
technical reviews, decisions, certificates. The public register is ``certification.public_urls``
(``/verify/``); the certificate PDFs are ``certification.certificate_pdfs.urls``."""

from django.urls import include, path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.committee_dashboard, name="dashboard"),
    path("flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
    # Technical review (评定) of one audit.
    path("reviews/audit/<int:audit_pk>/", views.review_detail, name="review"),
    path("reviews/audit/<int:audit_pk>/open/", views.review_open, name="review_open"),
    path("reviews/<int:pk>/assign/", views.review_assign, name="review_assign"),
    path("reviews/<int:pk>/checklist/", views.review_checklist, name="review_checklist"),
    path("reviews/<int:pk>/issues/", views.issue_raise, name="issue_raise"),
    path("reviews/<int:pk>/conclude/", views.review_conclude, name="review_conclude"),
    path("reviews/issues/<int:pk>/respond/", views.issue_respond, name="issue_respond"),
    path("reviews/issues/<int:pk>/resolve/", views.issue_resolve, name="issue_resolve"),
    # Decisions: opened from a concluded review, a certificate or a flag of the daily job.
    path("decisions/new/review/<int:review_pk>/", views.decision_open_from_review, name="decision_open_review"),
    path(
        "decisions/new/certificate/<int:certificate_pk>/",
        views.decision_open_from_certificate,
        name="decision_open_certificate",
    ),
    path("decisions/new/flag/<int:flag_pk>/", views.decision_open_from_flag, name="decision_open_flag"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/pdfs/", views.decision_pdfs_panel, name="decision_pdfs_panel"),
    path("decisions/<int:pk>/evaluate/", views.decision_evaluate, name="decision_evaluate"),
    path("decisions/<int:pk>/approve/", views.decision_approve, name="decision_approve"),
    path("decisions/<int:pk>/remarks/", views.decision_remarks, name="decision_remarks"),
    # Certificates.
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/choices/<slug:field>/", views.certificate_list_choices, name="certificate_list_choices"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
]

# Certificate PDFs (render, issue, download, client portal): certification/certificate_pdfs/urls.py
urlpatterns += [path("", include("certification.certificate_pdfs.urls"))]
