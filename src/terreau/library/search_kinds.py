"""The library's kinds in the site-wide search: resources (their attachments' text too), news
and co-development needs."""

from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search.registry import Document, SearchKind

from .models import Need, NeedState, Resource, ResourceKind, ResourceState


def _resources(news: bool):
    published = Resource.objects.filter(state=ResourceState.PUBLISHED)
    published = (
        published.filter(kind=ResourceKind.NEWS)
        if news
        else published.exclude(kind=ResourceKind.NEWS)
    )
    return published.prefetch_related("themes")


def resource_document(resource: Resource) -> Document:
    return Document(
        title=resource.title,
        url=resource.get_absolute_url(),
        summary=resource.summary,
        body=markdown_to_text(resource.body) + "\n" + resource.attachments_text,
        date=resource.published_on,
        department_code=resource.department_id or "",
        theme_ids=[theme.pk for theme in resource.themes.all()],
    )


def need_document(need: Need) -> Document:
    return Document(
        title=need.title,
        url=need.get_absolute_url(),
        body=markdown_to_text(need.description) + "\n" + markdown_to_text(need.outcome),
        date=need.created_at.date(),
        department_code=need.department_id or "",
        theme_ids=[theme.pk for theme in need.themes.all()],
    )


KINDS = [
    SearchKind(
        key="news",
        label=_("News"),
        position=50,
        model=Resource,
        objects=lambda: _resources(news=True),
        document=resource_document,
    ),
    SearchKind(
        key="resources",
        label=_("Resources"),
        position=55,
        model=Resource,
        objects=lambda: _resources(news=False),
        document=resource_document,
    ),
    SearchKind(
        key="needs",
        label=_("Co-development needs"),
        position=70,
        model=Need,
        objects=lambda: Need.objects.exclude(state=NeedState.WITHDRAWN).prefetch_related("themes"),
        document=need_document,
    ),
]
