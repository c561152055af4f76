from django.urls import path

from samen.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweede-stap/", views.second_factor, name="second_factor"),
    path("tweede-stap/instellen/", views.second_factor_setup, name="second_factor_setup"),
    path("organisatie-kiezen/", views.choose_membership, name="choose_membership"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord-vergeten/klaar/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
