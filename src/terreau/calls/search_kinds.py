"""The calls' kind in the site-wide search: published calls for applications."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search.registry import Document, SearchKind

from .models import Call


def call_document(call: Call) -> Document:
    return Document(
        title=call.title,
        url=call.get_absolute_url(),
        summary=call.summary,
        body=markdown_to_text(call.body),
        date=timezone.localdate(call.closes_at) if call.closes_at else None,
    )


KINDS = [
    SearchKind(
        key="calls",
        label=_("Calls for applications"),
        position=40,
        model=Call,
        objects=lambda: Call.objects.filter(is_published=True),
        document=call_document,
    )
]
