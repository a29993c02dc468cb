"""Writes of the library: creating, publishing, attaching files (checked like the
observatory's uploads)."""

import pytest
from django.core.exceptions import ValidationError

from terreau.library import services
from terreau.library.models import Resource, ResourceAttachment, ResourceKind, ResourceState
from tests.directory.factories import OrganisationFactory
from tests.factories import ThemeFactory
from tests.library.factories import ResourceFactory
from tests.library.files import pdf, png

pytestmark = pytest.mark.django_db


def test_a_new_resource_is_a_draft_with_a_unique_slug_and_its_links():
    theme, organisation = ThemeFactory(), OrganisationFactory()
    first = services.resource_create(
        title="Guide de la concertation",
        kind=ResourceKind.GUIDE,
        summary="Un guide.",
        themes=[theme],
        organisations=[organisation],
    )
    second = services.resource_create(
        title="Guide de la concertation", kind=ResourceKind.GUIDE, summary="Un autre."
    )
    assert first.state == ResourceState.DRAFT
    assert (first.slug, second.slug) == ("guide-de-la-concertation", "guide-de-la-concertation-2")
    assert list(first.themes.all()) == [theme]
    assert list(first.organisations.all()) == [organisation]


def test_an_unknown_kind_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as error:
        services.resource_create(title="Titre", kind="poster", summary="Résumé")
    assert "kind" in error.value.error_dict
    assert not Resource.objects.exists()


def test_the_search_text_is_kept_in_step_with_title_and_summary():
    resource = ResourceFactory(title="Élus et Démocratie", summary="Œuvre collective")
    assert resource.search_text == "elus et democratie oeuvre collective"
    services.resource_update(resource=resource, title="Conseils de quartier")
    resource.refresh_from_db()
    assert resource.search_text.startswith("conseils de quartier")


def test_publishing_and_unpublishing_change_only_the_state():
    resource = ResourceFactory(draft=True)
    services.resource_publish(resource=resource)
    resource.refresh_from_db()
    assert resource.state == ResourceState.PUBLISHED
    services.resource_unpublish(resource=resource)
    resource.refresh_from_db()
    assert resource.state == ResourceState.DRAFT


def test_an_accepted_attachment_is_stored_with_its_size_in_order():
    resource = ResourceFactory()
    first = services.resource_attachment_add(resource=resource, title="Compte rendu", file=pdf())
    second = services.resource_attachment_add(resource=resource, title="Affiche", file=png())
    assert first.size == len(pdf().read())
    assert (first.position, second.position) == (0, 1)
    assert first.extension == "PDF" and second.extension == "PNG"
    assert first.file.name.startswith("resources/")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (pdf(name="page.html", content=b"<html><script>alert(1)</script></html>"), "file_type"),
        (pdf(name="faux.pdf", content=b"<script>alert(1)</script>"), "file_type"),
        (png(name="affiche.pdf"), "file_type"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(upload, code):
    resource = ResourceFactory()
    with pytest.raises(ValidationError) as error:
        services.resource_attachment_add(resource=resource, title="Fichier", file=upload)
    assert error.value.error_dict["file"][0].code == code
    assert not ResourceAttachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TERREAU_UPLOAD_MAX_BYTES = 20
    resource = ResourceFactory()
    with pytest.raises(ValidationError) as error:
        services.resource_attachment_add(resource=resource, title="Gros", file=pdf())
    assert error.value.error_dict["file"][0].code == "file_size"
    assert "trop volumineux" in error.value.error_dict["file"][0].message
    assert not ResourceAttachment.objects.exists()


def test_a_stored_attachment_is_not_checked_again_when_saved(settings):
    resource = ResourceFactory()
    attachment = services.resource_attachment_add(resource=resource, title="CR", file=pdf())
    settings.TERREAU_UPLOAD_MAX_BYTES = 1  # a limit lowered later does not lock old files
    attachment.title = "Compte rendu"
    attachment.full_clean()
    attachment.save()
    assert ResourceAttachment.objects.get().title == "Compte rendu"
