from django.urls import path

from . import views, views_impartiality

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_register, name="complaint_register"),
    path("new/", views.complaint_new, name="complaint_new"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/act/", views.complaint_act, name="complaint_act"),
    path("<int:pk>/open/<str:kind>/", views.complaint_link, name="complaint_link"),
    path("appeals/", views.appeal_register, name="appeal_register"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/act/", views.appeal_act, name="appeal_act"),
    path("figures/", views.figures, name="figures"),
    path("portal/", views.portal_index, name="portal_index"),
    path("portal/complaint/", views.portal_complaint_new, name="portal_complaint"),
    path("portal/appeal/<int:decision_pk>/", views.portal_appeal_new, name="portal_appeal"),
    path("impartiality/", views_impartiality.impartiality, name="impartiality"),
    path("impartiality/act/", views_impartiality.impartiality_act, name="impartiality_act"),
    path("impartiality/minutes/<int:pk>/", views_impartiality.minutes_download, name="minutes"),
    path("declaration/", views_impartiality.declaration, name="declaration"),
]
