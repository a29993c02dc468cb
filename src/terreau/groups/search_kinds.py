"""The exchange groups' kind in the site-wide search: each group's public page."""

from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search.registry import Document, SearchKind

from .models import ExchangeGroup


def group_document(group: ExchangeGroup) -> Document:
    return Document(
        title=group.name,
        url=group.get_absolute_url(),
        summary=group.zone.name if group.zone_id else "",
        body=markdown_to_text(group.description) + "\n" + group.themes_planned,
        date=group.starts_on,
        theme_ids=[theme.pk for theme in group.themes.all()],
    )


KINDS = [
    SearchKind(
        key="groups",
        label=_("Exchange groups"),
        position=45,
        model=ExchangeGroup,
        objects=lambda: ExchangeGroup.objects.select_related("zone").prefetch_related("themes"),
        document=group_document,
    )
]
