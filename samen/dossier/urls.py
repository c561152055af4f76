from django.urls import path

from samen.dossier import views

app_name = "dossier"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id; the same for
# an entry id (``parse_id``).
urlpatterns = [
    path("huishoudens/<str:household_id>/", views.overview, name="overview"),
    path("huishoudens/<str:household_id>/notitie/", views.add_note, name="add_note"),
    path("huishoudens/<str:household_id>/dossier/", views.timeline, name="timeline"),
    path("huishoudens/<str:household_id>/dossier/gesprek/", views.add_conversation, name="add_conversation"),
    path("huishoudens/<str:household_id>/dossier/document/", views.add_document, name="add_document"),
    path("huishoudens/<str:household_id>/dossier/<str:entry_id>/", views.entry, name="entry"),
    path("huishoudens/<str:household_id>/dossier/<str:entry_id>/bestand/", views.document, name="document"),
    path("huishoudens/<str:household_id>/dossier/<str:entry_id>/verbergen/", views.hide_entry, name="hide_entry"),
    path("huishoudens/<str:household_id>/verhaal/", views.intake, name="intake"),
    path("huishoudens/<str:household_id>/verhaal/bewerken/", views.intake_edit, name="intake_edit"),
]
