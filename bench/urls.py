"""Benchmark-only routes, included under ``/__bench__/`` when ``settings.SAMEN_BENCH_VIEWS`` is true."""

from django.urls import path

from bench import views

app_name = "bench"

urlpatterns = [
    path("bare/", views.bare, name="bare"),
    path("bare-signed-in/", views.bare_signed_in, name="bare_signed_in"),
    path("reference/", views.reference, name="reference"),
]
