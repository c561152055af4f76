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
    path("samenwerking/netwerken/<str:network_id>/papier-en-praktijk/", views.paper_practice, name="practice"),
    path(
        "samenwerking/netwerken/<str:network_id>/papier-en-praktijk.csv", views.paper_practice_csv, name="practice_csv"
    ),
    path("samenwerking/netwerken/<str:network_id>/rondes/", views.schedule, name="schedule"),
    path("samenwerking/netwerken/<str:network_id>/ritme/", views.interval, name="interval"),
    path("samenwerking/netwerken/<str:network_id>/drempels/", views.thresholds, name="thresholds"),
    path("samenwerking/gespreksstarters/<str:prompt_id>/plannen/", views.plan_prompt, name="plan_prompt"),
    path("samenwerking/gespreksstarters/<str:prompt_id>/opzij/", views.set_aside_prompt, name="set_aside_prompt"),
    path("samenwerking/netwerken/<str:network_id>/leren/", views.learning, name="learning"),
    path("samenwerking/netwerken/<str:network_id>/leren/nieuw/", views.learning_new, name="learning_new"),
    path("samenwerking/leren/<str:entry_id>/", views.entry, name="entry"),
    path("samenwerking/lessen/", views.lessons, name="lessons"),
    path("samenwerking/netwerken/<str:network_id>/handvest/", views.charter, name="charter"),
    path("samenwerking/netwerken/<str:network_id>/handvest/wijzigen/", views.charter_change, name="charter_change"),
]
