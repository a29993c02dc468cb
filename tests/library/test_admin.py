"""Staff write the library in the Django admin: list, search, autocompletes, attachments,
publish actions."""

import pytest
from django.urls import reverse

from terreau.library.models import Resource, ResourceAttachment, ResourceState
from tests.library.factories import ResourceFactory
from tests.library.files import pdf

pytestmark = pytest.mark.django_db


def test_staff_search_and_filter_resources_in_the_admin(client, staff):
    ResourceFactory(title="Les élus et la participation")
    ResourceFactory(title="Budget participatif")
    client.force_login(staff)
    url = reverse("admin:library_resource_changelist")
    body = client.get(url, {"q": "ELUS"}).content.decode()
    assert "Les élus et la participation" in body and "Budget participatif" not in body
    assert client.get(url, {"state__exact": "draft", "annee": "2021"}).status_code == 200


def test_staff_add_a_resource_with_an_attachment(client, staff):
    client.force_login(staff)
    url = reverse("admin:library_resource_add")
    assert client.get(url).status_code == 200
    data = {
        "title": "Guide des conseils citoyens",
        "slug": "guide-des-conseils-citoyens",
        "kind": "guide",
        "state": "draft",
        "language": "fr",
        "summary": "Un guide.",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "Le guide",
        "attachments-0-file": pdf(),
        "attachments-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attachment = ResourceAttachment.objects.get()
    assert attachment.resource.title == "Guide des conseils citoyens"
    assert attachment.size > 0


def test_the_admin_refuses_an_attachment_of_the_wrong_type(client, staff):
    client.force_login(staff)
    data = {
        "title": "Guide",
        "slug": "guide",
        "kind": "guide",
        "state": "draft",
        "language": "fr",
        "summary": "Un guide.",
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "Page",
        "attachments-0-file": pdf(name="page.pdf", content=b"<html>pas un PDF</html>"),
        "attachments-0-position": "0",
    }
    response = client.post(reverse("admin:library_resource_add"), data)
    assert response.status_code == 200
    assert "pas accepté" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_publish_action_goes_through_the_service(client, staff):
    draft = ResourceFactory(draft=True)
    client.force_login(staff)
    client.post(
        reverse("admin:library_resource_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.state == ResourceState.PUBLISHED


def test_the_organisation_and_initiative_autocompletes_answer(client, staff):
    client.force_login(staff)
    for field in ("organisations", "initiatives"):
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "library", "model_name": "resource", "field_name": field, "term": "a"},
        )
        assert response.status_code == 200, field
