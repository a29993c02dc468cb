"""The worksites' kind in the site-wide search: public worksites."""

from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search.registry import Document, SearchKind

from .models import Worksite


def worksite_document(worksite: Worksite) -> Document:
    return Document(
        title=worksite.question,
        url=worksite.get_absolute_url(),
        summary=markdown_to_text(worksite.summary)[:280],
        body=markdown_to_text(worksite.objectives),
        date=worksite.starts_on,
    )


KINDS = [
    SearchKind(
        key="worksites",
        label=_("Cooperative worksites"),
        position=50,
        model=Worksite,
        objects=lambda: Worksite.objects.filter(is_public=True),
        document=worksite_document,
    )
]
