from django.urls import path

from samen.assessments import views

app_name = "assessments"

# The household id is taken as text: ``household_for`` answers 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/zelfredzaamheid/", views.overview, name="overview"),
    path("huishoudens/<str:household_id>/zelfredzaamheid/zrm/nieuw/", views.zrm_new, name="zrm_new"),
    path(
        "huishoudens/<str:household_id>/zelfredzaamheid/spinnenweb/nieuw/", views.spinnenweb_new, name="spinnenweb_new"
    ),
]
