"""The project's routes plus the bench's, for the bench's tests (config/urls.py adds the bench's only when
``SAMEN_BENCH_VIEWS`` was true when it was imported)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("__bench__/", include("bench.urls")), *project_urlpatterns]
