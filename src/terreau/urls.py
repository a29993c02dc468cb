"""Root URL configuration: French paths for users, one include per app."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from terreau import feeds
from terreau.sitemaps import sitemaps

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
    path("appels/", include("terreau.calls.urls")),
    path("groupes/", include("terreau.groups.urls")),
    path("recherche/", include("terreau.search.urls")),
    path("confidentialite/", include("terreau.privacy.urls")),
    path("flux/actualites/", feeds.NewsFeed(), name="feed_news"),
    path("flux/actualites/<slug:theme>/", feeds.NewsFeed(), name="feed_news_theme"),
    path("flux/ressources/", feeds.ResourceFeed(), name="feed_resources"),
    path("flux/ressources/<slug:theme>/", feeds.ResourceFeed(), name="feed_resources_theme"),
    path("flux/evenements/", feeds.EventFeed(), name="feed_events"),
    path("flux/evenements/<slug:theme>/", feeds.EventFeed(), name="feed_events_theme"),
    path("flux/atom/actualites/", feeds.atom(feeds.NewsFeed)(), name="feed_news_atom"),
    path("flux/atom/ressources/", feeds.atom(feeds.ResourceFeed)(), name="feed_resources_atom"),
    path("flux/atom/evenements/", feeds.atom(feeds.EventFeed)(), name="feed_events_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("chantiers/", include("terreau.worksites.urls")),
    path("", include("terreau.core.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "terreau.core.views.page_not_found"
handler403 = "terreau.core.views.permission_denied"
handler500 = "terreau.core.views.server_error"
