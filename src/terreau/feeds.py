"""RSS and Atom feeds of the site (Django's syndication framework): news, resources and coming
events, each for the whole site or one theme (`/flux/<kind>/<theme>/`)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from terreau.core.models import Theme
from terreau.directory.selectors import filter_by_theme
from terreau.events.models import Event, EventState
from terreau.library.models import Resource, ResourceKind, ResourceState
from terreau.library.selectors import NEWEST_FIRST

ITEMS = 30


class _ThemedFeed(Feed):
    kind_title = ""

    def get_object(self, request, theme=None):
        if theme is None:
            return None
        found = Theme.objects.active().filter(slug=theme[:160]).first()
        if found is None:
            raise Http404
        return found

    def title(self, theme):
        name = f"{settings.SITE_NAME} — {self.kind_title()}"
        return f"{name} — {theme.label}" if theme else name

    def description(self, theme):
        return self.title(theme)

    def link(self, theme):
        return self.page_url + (f"?theme={theme.slug}" if theme else "")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary


class NewsFeed(_ThemedFeed):
    page_url = "/ressources/?type=news"

    def kind_title(self):
        return _("News")

    def items(self, theme):
        news = Resource.objects.filter(state=ResourceState.PUBLISHED, kind=ResourceKind.NEWS)
        return filter_by_theme(news, theme).order_by(*NEWEST_FIRST)[:ITEMS]

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class ResourceFeed(NewsFeed):
    page_url = "/ressources/"

    def kind_title(self):
        return _("Resources")

    def items(self, theme):
        resources = Resource.objects.filter(state=ResourceState.PUBLISHED).exclude(
            kind=ResourceKind.NEWS
        )
        return filter_by_theme(resources, theme).order_by(*NEWEST_FIRST)[:ITEMS]


class EventFeed(_ThemedFeed):
    page_url = "/evenements/"

    def kind_title(self):
        return _("Events")

    def items(self, theme):
        events = Event.objects.filter(state=EventState.PUBLISHED, ends_at__gte=timezone.now())
        return filter_by_theme(events, theme).order_by("starts_at", "pk")[:ITEMS]

    def item_pubdate(self, item):
        return item.starts_at


def atom(feed_class):
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})
