# Placeholder: replaced by the UI work (error pages).
from django.http import HttpResponse


def permission_denied(request, exception=None):
    return HttpResponse("403", status=403)


def page_not_found(request, exception=None):
    return HttpResponse("404", status=404)


def server_error(request):
    return HttpResponse("500", status=500)


def error_preview(request, status):
    return HttpResponse(str(status), status=status)
