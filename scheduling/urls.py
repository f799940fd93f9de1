from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("audits/<int:pk>/who-can-go/", views.who_can_go, name="who_can_go"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/events/", views.calendar_events, name="calendar_events"),
    path("calendar/move/", views.calendar_move, name="calendar_move"),
    path("absences/", views.absences, name="absences"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("feed/", views.feed_manage, name="feed_manage"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("load/", views.load, name="load"),
    path("feedback/<int:pk>/", views.feedback, name="feedback"),
]
