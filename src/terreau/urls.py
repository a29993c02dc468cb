"""Root URL configuration: French paths for users, one include per app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("compte/", include("terreau.accounts.urls")),
    path("territoires/", include("terreau.territories.urls")),
    path("annuaire/", include("terreau.directory.urls")),
    path("observatoire/", include("terreau.observatory.urls")),
    path("evenements/", include("terreau.events.urls")),
    path("ressources/", include("terreau.library.urls")),
    path("chantiers/", include("terreau.worksites.urls")),
    path("", include("terreau.core.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "terreau.core.views.page_not_found"
handler403 = "terreau.core.views.permission_denied"
handler500 = "terreau.core.views.server_error"
