from django.urls import path

from . import views

app_name = "stage1"

urlpatterns = [
    path("audit/<int:pk>/", views.audit_documents, name="audit"),
    path("audit/<int:pk>/concerns/add/", views.concern_add, name="concern_add"),
    path("versions/<int:pk>/download/", views.version_download, name="version_download"),
    path("versions/<int:pk>/review/", views.review_request, name="review_request"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("concerns/<int:pk>/answer/", views.concern_answer, name="concern_answer"),
]
