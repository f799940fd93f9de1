from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("auditors/", views.auditor_list, name="auditor_list"),
    path("auditors/new/", views.auditor_create, name="auditor_create"),
    path("auditors/<int:pk>/edit/", views.auditor_edit, name="auditor_edit"),
]
