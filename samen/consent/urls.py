from django.urls import path

from samen.consent import views

app_name = "consent"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/wie-mag-wat-zien/", views.matrix, name="matrix"),
    path("huishoudens/<str:household_id>/wie-mag-wat-zien/toestaan/", views.grant, name="grant"),
    path("huishoudens/<str:household_id>/wie-mag-wat-zien/intrekken/", views.revoke, name="revoke"),
    path(
        "huishoudens/<str:household_id>/wie-mag-wat-zien/verzoek/<str:request_id>/",
        views.answer_request,
        name="answer_request",
    ),
    path("huishoudens/<str:household_id>/wie-keek/", views.access_log, name="access_log"),
    path("noodtoegang/", views.break_the_glass, name="break_the_glass"),
    path(
        "huishoudens/<str:household_id>/noodtoegang/stoppen/",
        views.break_the_glass_end,
        name="break_the_glass_end",
    ),
]
