from django.urls import path

from samen.households import views

app_name = "households"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/wie-helpt-mee/", views.team, name="team"),
    path("huishoudens/<str:household_id>/wie-helpt-mee/uitnodigen/", views.invite, name="invite"),
    path("huishoudens/<str:household_id>/wie-helpt-mee/intrekken/", views.withdraw, name="withdraw"),
    path(
        "huishoudens/<str:household_id>/wie-helpt-mee/professional-toevoegen/",
        views.add_professional,
        name="add_professional",
    ),
    path(
        "huishoudens/<str:household_id>/wie-helpt-mee/clientondersteuner-toevoegen/",
        views.add_supporter,
        name="add_supporter",
    ),
    path("huishoudens/<str:household_id>/wie-helpt-mee/regie-overdragen/", views.handover, name="handover"),
    # The token is looked up by its hash only; the page never logs it (``views.invitation_accept``).
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
