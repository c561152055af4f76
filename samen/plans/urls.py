from django.urls import path

from samen.plans import views

app_name = "plans"

# The ids are taken as text: ``household_for`` and the selectors answer 404 for anything that is not an id.
urlpatterns = [
    path("huishoudens/<str:household_id>/plan/", views.plan, name="plan"),
    path("huishoudens/<str:household_id>/plan/wijzigen/", views.edit_plan, name="edit_plan"),
    path("huishoudens/<str:household_id>/plan/afdrukken/", views.print_plan, name="print"),
    path("huishoudens/<str:household_id>/plan/doelen/nieuw/", views.add_goal, name="add_goal"),
    path("huishoudens/<str:household_id>/plan/doelen/<str:goal_id>/", views.edit_goal, name="edit_goal"),
    path("huishoudens/<str:household_id>/plan/doelen/<str:goal_id>/acties/nieuw/", views.add_action, name="add_action"),
    path("huishoudens/<str:household_id>/plan/acties/<str:action_id>/", views.edit_action, name="edit_action"),
    path("huishoudens/<str:household_id>/plan/acties/<str:action_id>/klaar/", views.action_done, name="action_done"),
    path(
        "huishoudens/<str:household_id>/plan/uit-de-sociale-kaart/<str:service_id>/",
        views.add_service_action,
        name="add_service_action",
    ),
    path("huishoudens/<str:household_id>/plan/afspraken/nieuw/", views.add_agreement, name="add_agreement"),
    path("huishoudens/<str:household_id>/plan/evaluaties/nieuw/", views.add_evaluation, name="add_evaluation"),
    path(
        "huishoudens/<str:household_id>/plan/evaluaties/<str:evaluation_id>/",
        views.record_outcome,
        name="record_outcome",
    ),
    path("huishoudens/<str:household_id>/plan/versies/", views.versions, name="versions"),
    path("huishoudens/<str:household_id>/plan/versies/nieuw/", views.save_version, name="save_version"),
    path("huishoudens/<str:household_id>/plan/versies/verschil/", views.version_diff, name="version_diff"),
    path("huishoudens/<str:household_id>/plan/versies/<str:version_id>/akkoord/", views.agree, name="agree"),
]
