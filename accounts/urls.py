from django.urls import path

from . import auditor_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("auditors/", auditor_views.auditor_list, name="auditor_list"),
    path("auditors/new/", auditor_views.auditor_create, name="auditor_create"),
    path("auditors/<int:pk>/edit/", auditor_views.auditor_edit, name="auditor_edit"),
]
