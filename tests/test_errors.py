"""Unknown pages and server errors show the app's own pages, in the reader's language."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from config import urls as project_urls


def broken_view(request):
    raise RuntimeError("database gone")


# The project's own URLs and error handlers, plus one view that fails.
urlpatterns = [*project_urls.urlpatterns, path("boom/", broken_view)]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Page not found"), ("nl", "Pagina niet gevonden")]
)
def test_unknown_url_shows_the_friendly_page_in_both_languages(client, peer, language, text):
    client.force_login(peer, backend="cities.backends.EmailBackend")
    client.cookies["django_language"] = language
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert text in response.content.decode()
    assert "Traceback" not in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize(
    ("language", "text"), [("en", "Something went wrong"), ("nl", "Er ging iets mis")]
)
def test_server_error_shows_the_friendly_page_without_a_traceback(db, language, text):
    from django.urls import clear_url_caches

    clear_url_caches()
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    response = client.get("/boom/")
    assert response.status_code == 500
    assert text in response.content.decode()
    assert "database gone" not in response.content.decode()
