from django.urls import path

from samen.households import views

app_name = "households"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/wie-helpt-mee/", views.team, name="team"),
    path("huishoudens/<str:household_id>/wie-helpt-mee/uitnodigen/", views.invite, name="invite"),
    path("huishoudens/<str:household_id>/wie-helpt-mee/intrekken/", views.withdraw, name="withdraw"),
]
