from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from samen.ui.views import design

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("samen.accounts.urls")),
    path("beheer/support/", admin.site.urls),
    path("", include("samen.consent.urls")),
    path("", include("samen.households.urls")),
    path("", include("samen.dossier.urls")),
    path("", include("samen.conversations.urls")),
    path("", include("samen.plans.urls")),
    path("", include("samen.caseload.urls")),
    path("", include("samen.assessments.urls")),
    path("", include("samen.reminders.urls")),
    path("", include("samen.referrals.urls")),
    path("", include("samen.meetings.urls")),
    path("", include("samen.collaboration.urls")),
    path("", include("samen.socialmap.urls")),
    path("", include("samen.operations.urls")),
    path("", include("samen.home.urls")),
    # The living catalogue of every ui component in its states: answers only in development mode (DEBUG).
    path("ontwerp/", design, name="design"),
]

handler403 = "samen.ui.views.permission_denied"
handler404 = "samen.ui.views.page_not_found"
handler500 = "samen.ui.views.server_error"

if settings.SAMEN_BENCH_VIEWS:
    urlpatterns += [path("__bench__/", include("bench.urls"))]
