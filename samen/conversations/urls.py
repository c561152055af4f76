from django.urls import path

from samen.conversations import views

app_name = "conversations"

# Ids are taken as text: ``household_access`` and ``parse_id`` answer 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/gesprek/", views.household, name="household"),
    path("huishoudens/<str:household_id>/gesprek/loopt-niet-goed/", views.raise_signal, name="raise_signal"),
    path("huishoudens/<str:household_id>/gesprek/overleg-professionals/", views.start_thread, name="start_thread"),
    path("huishoudens/<str:household_id>/gesprek/<str:thread_id>/", views.thread, name="thread"),
    path("huishoudens/<str:household_id>/gesprek/<str:thread_id>/nieuw/", views.poll, name="poll"),
    path("huishoudens/<str:household_id>/gesprek/<str:thread_id>/opgelost/", views.resolve, name="resolve"),
    path("huishoudens/<str:household_id>/gesprek/<str:thread_id>/samenvatting/", views.summary, name="summary"),
    path("netwerk/signalen/", views.facilitator, name="facilitator"),
]
