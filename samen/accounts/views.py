# Placeholder: replaced by the accounts work (login, logout, password reset, second factor).
from django.http import HttpResponse


def login_view(request):
    return HttpResponse("login")


def logout_view(request):
    return HttpResponse("logout")


def second_factor(request):
    return HttpResponse("second factor")


def second_factor_setup(request):
    return HttpResponse("second factor setup")


def locked_out(request, credentials, *args, **kwargs):
    return HttpResponse("locked out", status=429)
