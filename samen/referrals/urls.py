from django.urls import path

from samen.referrals import views

app_name = "referrals"

# Ids are taken as text: the policies answer 404 for anything that is not an id of something the actor may see.
urlpatterns = [
    path("huishoudens/<str:household_id>/verwijzingen/", views.referral_list, name="list"),
    path("huishoudens/<str:household_id>/verwijzingen/nieuw/", views.referral_new, name="new"),
    path("huishoudens/<str:household_id>/verwijzingen/<str:referral_id>/", views.referral_detail, name="detail"),
    path("huishoudens/<str:household_id>/verwijzingen/<str:referral_id>/status/", views.referral_move, name="move"),
    path(
        "huishoudens/<str:household_id>/verwijzingen/<str:referral_id>/toestemming/",
        views.referral_answer,
        name="answer",
    ),
    path("verwijzingen/", views.inbox, name="inbox"),
    path("verwijzingen/<str:referral_id>/", views.received, name="received"),
    path("verwijzingen/<str:referral_id>/status/", views.received_move, name="received_move"),
]
