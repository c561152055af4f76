"""The social map's pages ("Sociale kaart"), the household's own network ("Netwerkkaart") and the read-only HSDS
API. Each section's views live in their own module."""

from django.urls import path

from samen.socialmap import api, network_views, views, views_import

app_name = "socialmap"

urlpatterns = [
    # --- the directory: search, a service, keeping entries up to date (views.py) ---
    path("sociale-kaart/", views.search, name="search"),
    path("sociale-kaart/diensten/<str:service_id>/", views.service_detail, name="service"),
    path("sociale-kaart/onze-diensten/", views.our_services, name="ours"),
    path("sociale-kaart/diensten/<str:service_id>/wijzigen/", views.service_edit, name="edit"),
    path("sociale-kaart/diensten/<str:service_id>/gecontroleerd/", views.service_checked, name="checked"),
    # --- import (views_import.py) ---
    path("sociale-kaart/importeren/", views_import.import_start, name="import"),
    path("sociale-kaart/importeren/<str:import_id>/", views_import.import_detail, name="import_detail"),
    # --- the HSDS API (api.py) ---
    path("api/hsds/", api.root, name="hsds_root"),
    path("api/hsds/services", api.services, name="hsds_services"),
    path("api/hsds/services/<str:item_id>", api.service, name="hsds_service"),
    path("api/hsds/organizations", api.organizations, name="hsds_organizations"),
    path("api/hsds/organizations/<str:item_id>", api.organization, name="hsds_organization"),
    path("api/hsds/taxonomies", api.taxonomies, name="hsds_taxonomies"),
    path("api/hsds/taxonomies/<str:item_id>", api.taxonomy, name="hsds_taxonomy"),
    path("api/hsds/taxonomy_terms", api.taxonomy_terms, name="hsds_taxonomy_terms"),
    path("api/hsds/taxonomy_terms/<str:item_id>", api.taxonomy_term, name="hsds_taxonomy_term"),
    path("api/hsds/service_at_locations", api.service_at_locations, name="hsds_service_at_locations"),
    path("api/hsds/service_at_locations/<str:item_id>", api.service_at_location, name="hsds_service_at_location"),
    # --- the household's own network (network_views.py) ---
    path("huishoudens/<str:household_id>/netwerk/", network_views.network, name="network"),
    path("huishoudens/<str:household_id>/netwerk/nieuw/", network_views.network_add, name="network_add"),
    path("huishoudens/<str:household_id>/netwerk/<str:person_id>/", network_views.network_edit, name="network_edit"),
    path(
        "huishoudens/<str:household_id>/netwerk/<str:person_id>/verwijderen/",
        network_views.network_remove,
        name="network_remove",
    ),
    path(
        "huishoudens/<str:household_id>/netwerk/<str:person_id>/uitnodigen/",
        network_views.network_invite,
        name="network_invite",
    ),
    path(
        "huishoudens/<str:household_id>/netwerk/<str:person_id>/actie/",
        network_views.network_action,
        name="network_action",
    ),
]
