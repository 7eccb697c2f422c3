"""The app's own error pages, translated, without tracebacks."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # No request context: the database or a context processor may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
