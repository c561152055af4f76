# Placeholder: replaced by the home pages per role.
from django.http import HttpResponse


def home(request):
    return HttpResponse("home")
