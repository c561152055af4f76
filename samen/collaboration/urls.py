from django.urls import path

from samen.collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("samenwerking/", views.overview, name="overview"),
    path("samenwerking/rondes/<str:round_id>/", views.answer, name="answer"),
    path("samenwerking/rondes/<str:round_id>/openen/", views.open_round, name="open_round"),
    path("samenwerking/rondes/<str:round_id>/sluiten/", views.close_round, name="close_round"),
    path("samenwerking/netwerken/<str:network_id>/", views.network, name="network"),
    path("samenwerking/netwerken/<str:network_id>/cijfers.csv", views.network_csv, name="network_csv"),
    path("samenwerking/netwerken/<str:network_id>/rondes/", views.schedule, name="schedule"),
    path("samenwerking/netwerken/<str:network_id>/ritme/", views.interval, name="interval"),
]
