"""Staff edit the controlled vocabularies and methods in the administration; an initiative
edited there is recorded as a revision."""

import pytest
from django.urls import reverse

from terreau.observatory.models import FacilitationFormat, Initiative, Method

pytestmark = pytest.mark.django_db

VOCABULARIES = [
    "targetpublic",
    "facilitationformat",
    "recruitmentmethod",
    "purpose",
    "approach",
    "changetype",
    "organisertype",
]


@pytest.mark.parametrize("model", [*VOCABULARIES, "method", "initiative", "initiativeproposal"])
def test_staff_open_every_observatory_list_in_the_administration(client, staff, model):
    client.force_login(staff)
    assert client.get(reverse(f"admin:observatory_{model}_changelist")).status_code == 200


def test_staff_add_a_facilitation_format(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:observatory_facilitationformat_add"),
        {
            "name": "Théâtre forum",
            "name_en": "Forum theatre",
            "slug": "theatre-forum",
            "position": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert FacilitationFormat.objects.get().label == "Théâtre forum"


def test_staff_write_a_method_sheet(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:observatory_method_add"),
        {
            "title": "Jury citoyen",
            "slug": "jury-citoyen",
            "summary": "Des citoyens tirés au sort.",
            "state": "published",
        },
    )
    assert response.status_code == 302
    method = Method.objects.get()
    assert method.created_by == staff
    assert client.get(method.get_absolute_url()).status_code == 200


def test_an_initiative_edited_in_the_administration_gets_a_revision(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:observatory_initiative_add"),
        {
            "title": "Budget participatif",
            "slug": "budget-participatif",
            "summary": "Les habitants votent.",
            "state": "published",
            "is_qpv": "",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "media-TOTAL_FORMS": "0",
            "media-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get()
    revision = initiative.revisions.get()
    assert (revision.number, revision.author) == (1, staff)
    assert revision.data["title"] == "Budget participatif"
