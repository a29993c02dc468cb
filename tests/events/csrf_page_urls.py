"""A public page holding a form with a CSRF token, for the page cache's tests."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from terreau.core.pagecache import public_page

FORM = engines["django"].from_string(
    '<form method="post">{% csrf_token %}<button>Envoyer</button></form>'
)


@public_page()
def form_page(request):
    return HttpResponse(FORM.render({}, request))


urlpatterns = [path("formulaire/", form_page)]
