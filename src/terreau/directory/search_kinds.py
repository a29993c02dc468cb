"""The directory's kinds in the site-wide search: published organisations, and people who
chose to be listed."""

from django.utils.translation import gettext_lazy as _

from terreau.core.markdown import markdown_to_text
from terreau.search.registry import Document, SearchKind

from .models import Organisation, Person


def organisation_document(organisation: Organisation) -> Document:
    commune = organisation.commune
    return Document(
        title=organisation.name + (f" ({organisation.acronym})" if organisation.acronym else ""),
        url=organisation.get_absolute_url(),
        summary=organisation.get_kind_display(),
        body=markdown_to_text(organisation.description),
        department_code=commune.department_id if commune else "",
        theme_ids=[theme.pk for theme in organisation.themes.all()],
    )


def person_document(person: Person) -> Document:
    commune = person.commune
    return Document(
        title=person.display_name,
        url=person.get_absolute_url(),
        summary=person.title,
        body=markdown_to_text(person.bio),
        department_code=commune.department_id if commune else "",
        theme_ids=[theme.pk for theme in person.themes.all()],
    )


KINDS = [
    SearchKind(
        key="organisations",
        label=_("Organisations"),
        position=60,
        model=Organisation,
        objects=lambda: (
            Organisation.objects.filter(is_published=True)
            .select_related("commune")
            .prefetch_related("themes")
        ),
        document=organisation_document,
    ),
    SearchKind(
        key="people",
        label=_("People"),
        position=65,
        model=Person,
        objects=lambda: (
            Person.objects.filter(is_listed=True)
            .select_related("commune")
            .prefetch_related("themes")
        ),
        document=person_document,
    ),
]
