from django.urls import path

from . import views

app_name = "dashboard"

# The dashboard's own pages (the charts' tables and CSV) go here, under /dashboard/.
urlpatterns: list = []

# The start page is the site's root and keeps the name every template and test links to,
# ``accounts:home`` (it was the accounts app's page; auditbody/urls.py mounts this at "").
home_patterns = ([path("", views.home, name="home")], "accounts")
