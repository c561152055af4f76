from django.urls import path

from samen.caseload import views

app_name = "caseload"

urlpatterns = [
    path("mijn-huishoudens/", views.caseload, name="list"),
]
