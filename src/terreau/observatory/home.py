"""The observatory's section on the home page."""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from .models import Initiative, Method, PublicationState


def summary() -> dict:
    published = Initiative.objects.filter(state=PublicationState.PUBLISHED)
    latest = list(published.order_by("-published_at", "-pk").only("pk", "title", "slug")[:3])
    methods = Method.objects.filter(state=PublicationState.PUBLISHED).count()
    return {
        "key": "observatory",
        "title": _("Observatory of practices"),
        "text": ngettext(
            "Initiatives of the network described so that others can learn from them, and "
            "%(methods)s method sheet. Share yours: a moderator publishes it.",
            "Initiatives of the network described so that others can learn from them, and "
            "%(methods)s method sheets. Share yours: a moderator publishes it.",
            methods,
        )
        % {"methods": number_format(methods, force_grouping=True)},
        "url": reverse("observatory:initiative_list"),
        "count": (count := published.count()),
        "count_label": npgettext(
            "home page count", "published initiative", "published initiatives", count
        ),
        "items": latest,
        "position": 10,
    }
