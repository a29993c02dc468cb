"""The observatory's kinds in the site-wide search: initiatives (searched in their own
full-text index, observatory.search) and method sheets."""

import html

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.directory.selectors import filter_by_theme
from terreau.search import labels
from terreau.search.registry import Document, Hit, SearchKind

from . import search
from .models import Initiative, Method, PublicationState


def initiative_search(query, offset: int, limit: int):
    initiatives = Initiative.objects.filter(state=PublicationState.PUBLISHED)
    initiatives = filter_by_theme(initiatives, query.theme)
    if query.department:
        initiatives = initiatives.filter(department_id=query.department)
    if query.date_from:
        initiatives = initiatives.filter(Q(end_date__gte=query.date_from) | Q(end_date=None))
    if query.date_to:
        initiatives = initiatives.filter(start_date__lte=query.date_to)
    matching = search.search_filter(initiatives, query.text)
    count = matching.count()
    fields = ("pk", "title", "slug", "summary", "description", "lessons", "start_date")
    if search.ranks_in_database():
        page = list(matching.only(*fields).order_by("-search_rank", "pk")[offset : offset + limit])
    else:
        ids = search.search_ranked_ids(matching, query.text, offset=offset, limit=limit)
        found = {i.pk: i for i in Initiative.objects.filter(pk__in=ids).only(*fields)}
        page = [found[pk] for pk in ids if pk in found]
    hits = [
        Hit(
            title=search.search_title(initiative, query.text),
            url=initiative.get_absolute_url(),
            excerpt=search.search_excerpt(initiative, query.text)
            or html.escape(initiative.summary),
            date=initiative.start_date,
        )
        for initiative in page
    ]
    return count, hits


def method_document(method: Method) -> Document:
    return Document(
        title=method.title,
        url=method.get_absolute_url(),
        summary=method.summary,
        body="\n".join(
            markdown_to_text(text)
            for text in (method.when_to_use, method.steps, method.materials, method.pitfalls)
        ),
        theme_ids=[theme.pk for theme in method.themes.all()],
    )


KINDS = [
    SearchKind(key="initiatives", label=_("Initiatives"), position=10, search=initiative_search),
    SearchKind(
        key="methods",
        label=labels.METHODS,
        position=20,
        model=Method,
        objects=lambda: Method.objects.filter(state=PublicationState.PUBLISHED).prefetch_related(
            "themes"
        ),
        document=method_document,
    ),
]
