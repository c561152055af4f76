from django.urls import path

from samen.reminders import views

app_name = "reminders"

# The reminder id is taken as text: ``reminder_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("herinneringen/", views.reminder_list, name="list"),
    path("herinneringen/alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("herinneringen/<str:reminder_id>/gelezen/", views.mark_read, name="mark_read"),
]
