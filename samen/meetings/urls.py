from django.urls import path

from samen.meetings import views

app_name = "meetings"

# The ids are taken as text: the gate and the selectors answer 404 for anything that is not an id.
PREFIX = "huishoudens/<str:household_id>/overleggen/"
urlpatterns = [
    path(PREFIX, views.meeting_list, name="list"),
    path(f"{PREFIX}nieuw/", views.meeting_plan, name="plan"),
    path(f"{PREFIX}<str:meeting_id>/", views.meeting_detail, name="detail"),
    path(f"{PREFIX}<str:meeting_id>/wijzigen/", views.meeting_edit, name="edit"),
    path(f"{PREFIX}<str:meeting_id>/gehouden/", views.meeting_hold, name="hold"),
    path(f"{PREFIX}<str:meeting_id>/afzeggen/", views.meeting_cancel, name="cancel"),
    path(f"{PREFIX}<str:meeting_id>/overleg.ics", views.meeting_calendar, name="ics"),
    path(f"{PREFIX}uitkomsten/<str:outcome_id>/actie/", views.outcome_to_action, name="to_action"),
    path(f"{PREFIX}uitkomsten/<str:outcome_id>/doel/", views.outcome_to_goal, name="to_goal"),
    path(f"{PREFIX}uitkomsten/<str:outcome_id>/afspraak/", views.outcome_to_agreement, name="to_agreement"),
    path(f"{PREFIX}uitkomsten/<str:outcome_id>/regisseur/", views.outcome_to_coordinator, name="to_coordinator"),
]
