from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("choices/<slug:field>/", views.audit_list_choices, name="list_choices"),
    path("new/", views.audit_create, name="create"),
    path("<int:pk>/", views.audit_detail, name="detail"),
    path("<int:pk>/edit/", views.audit_edit, name="edit"),
    path("<int:pk>/start/", views.audit_start, name="start"),
    path("<int:pk>/cancel/", views.audit_cancel, name="cancel"),
    path("<int:pk>/team/", views.audit_team, name="team"),
    path("<int:pk>/team/<int:assignment_pk>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/team/persons/<int:person_pk>/remove/", views.person_remove, name="person_remove"),
    path("<int:pk>/itinerary/", views.itinerary_edit, name="itinerary"),
    path("<int:pk>/itinerary/prefill/", views.itinerary_prefill, name="itinerary_prefill"),
    path("<int:pk>/plan/", views.plan_print, name="plan_print"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/client/<int:client_pk>/", views.client_programme, name="programme"),
    path("programmes/client/<int:client_pk>/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
]
