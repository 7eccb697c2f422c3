"""Two rules every response of the app keeps, each written once.

- Methods: the app answers GET, HEAD and POST only. Pages read on GET and HEAD and change
  things on POST; PUT, PATCH, DELETE, OPTIONS and anything else get 405 with an ``Allow``
  header before a session is loaded or a view runs (a function view would otherwise treat
  them as a GET, and answer 200). No page is meant for cross-origin scripts, so OPTIONS has
  nothing to announce.
- Caching: every response says ``Cache-Control: private, no-store``. Nearly every page is
  someone's review work behind sign-in; a shared cache must never keep it, nor a browser
  on a shared computer's disk. The login page carries a CSRF token and the public report
  link is a secret a coordinator can withdraw, so they get the same. Static files are not
  served through Django in production (the web server sends them, with its own caching).
"""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.utils.cache import patch_cache_control

ALLOWED_METHODS = ("GET", "HEAD", "POST")


class PrivateNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Merged into what a view set (Django's never_cache, say); "public" is dropped.
        patch_cache_control(response, private=True, no_store=True)
        return response


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)
