from django.urls import include, path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("audit/<int:audit_pk>/", views.for_audit, name="for_audit"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/choices/", views.choices, name="choices"),
    path("<int:pk>/completion/", views.completion, name="completion"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_report, name="return"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("topic/<int:pk>/save/", views.topic_save, name="topic_save"),
    path("topic/<int:pk>/assign/", views.topic_assign, name="topic_assign"),
    path("<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("<int:pk>/findings/<int:finding_pk>/", views.finding_edit, name="finding_edit"),
    path("<int:pk>/findings/<int:finding_pk>/nonconformity/", views.nc_raise, name="nc_raise"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]

# Report PDFs (render, issue, versions, download): reports/versions/urls.py
urlpatterns += [path("", include("reports.versions.urls"))]
