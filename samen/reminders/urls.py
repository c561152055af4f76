from django.urls import path

from samen.reminders import views

app_name = "reminders"

# Ids are taken as text: ``notification_for`` and ``reminder_for`` answer 404 for anything that is not an id.
urlpatterns = [
    path("meldingen/", views.reminder_list, name="list"),
    path("meldingen/alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("meldingen/<str:notification_id>/", views.open_notification, name="open"),
    path("meldingen/<str:notification_id>/gelezen/", views.mark_notification_read, name="mark_notification_read"),
    path("meldingen/herinnering/<str:reminder_id>/", views.open_reminder, name="open_reminder"),
    path("meldingen/herinnering/<str:reminder_id>/gelezen/", views.mark_read, name="mark_read"),
    # The reminders' address before the notification centre (links in e-mails sent before).
    path("herinneringen/", views.old_list, name="old_list"),
]
