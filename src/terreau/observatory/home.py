"""The observatory's section on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Initiative, Method, PublicationState


def summary() -> dict:
    published = Initiative.objects.filter(state=PublicationState.PUBLISHED)
    latest = list(published.order_by("-published_at", "-pk").only("pk", "title", "slug")[:3])
    methods = Method.objects.filter(state=PublicationState.PUBLISHED).count()
    return {
        "key": "observatory",
        "title": _("Observatory of practices"),
        "text": _(
            "Initiatives of the network described so that others can learn from them, and "
            "%(methods)s method sheets. Share yours: a moderator publishes it."
        )
        % {"methods": methods},
        "url": reverse("observatory:initiative_list"),
        "count": published.count(),
        "count_label": _("published initiatives"),
        "items": latest,
        "position": 10,
    }
