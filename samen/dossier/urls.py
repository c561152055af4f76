from django.urls import path

from samen.dossier import views

app_name = "dossier"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/", views.overview, name="overview"),
    path("huishoudens/<str:household_id>/notitie/", views.add_note, name="add_note"),
]
