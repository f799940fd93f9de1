from django.urls import path

from . import views

app_name = "activity"

urlpatterns = [
    path("", views.activity_log, name="log"),
    path("export.<str:fmt>", views.activity_export, name="export"),
]
