from django.urls import path

from samen.operations import views

app_name = "operations"

urlpatterns = [
    path("beheer/achtergrondtaken/", views.task_list, name="tasks"),
    path("beheer/achtergrondtaken/<str:task_id>/opnieuw/", views.task_retry, name="retry"),
]
