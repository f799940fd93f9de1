from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="standard_list"),
    path("<int:pk>/", views.standard_detail, name="standard_detail"),
    path("technical-areas/", views.technical_area_list, name="technical_area_list"),
    path("clauses/picker/", views.clause_picker, name="clause_picker"),
]
