"""Hostile input refused at the root (terreau.core.forms, .api, .middleware): each defect that
probes found (NUL bytes, ids out of range, very long values) answers a field-level message, not
a 500, on SQLite and on PostgreSQL; and every form of the project uses the hardened bases."""

import importlib
import json
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import terreau
from terreau.core import forms as core_forms
from terreau.directory.models import Person
from terreau.events.models import Registration
from terreau.observatory.models import Initiative, InitiativeProposal
from tests.directory.factories import OrganisationFactory
from tests.events.registration_fixtures import make_lille_meetings
from tests.factories import ThemeFactory
from tests.observatory.factories import ProposalFactory
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

OVERFLOW = "9223372036854775808"
LONG = "x" * 100_000
CONTROL_CODES = {"control_characters"}


def field_codes(form, name):
    return {error.code for error in form.errors.as_data()[name]}


# --- paths: the middleware answers 400 ---------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/territoires/communes/%00/",
        "/territoires/departements/%00/",
        "/observatoire/api/initiatives/abc%00def",
        "/annuaire/organisations/a%01b/",
        "/evenements/%7F/",
    ],
)
def test_a_control_character_in_the_address_answers_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if "/api/" in path:
        assert set(response.json()) == {"detail"}
    else:
        assert "<h1>" in response.content.decode()


def test_an_ordinary_address_still_answers(client):
    DepartmentFactory(code="59", name="Nord")
    assert client.get("/territoires/departements/59/").status_code == 200


# --- the JSON API ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "Ti\x00tre"),
        ("method_types", ["a\x00b"]),
        ("primary_organizer", ["org\x00"]),
        ("initiative", "abc\x00def"),
        ("city_insee", "59\x00350"),
        ("description", LONG),
        ("number_of_participants", int(OVERFLOW)),
        ("method_types", ["x"] * 1000),
        ("title", "\ud800"),
    ],
)
def test_the_write_api_refuses_hostile_values_on_their_field(client, user, field, value):
    client.force_login(user)
    payload = {"title": "Assemblée", "brief_description": "Résumé", field: value}
    body = (
        json.dumps(payload)
        if field != "title" or value != "\ud800"
        else ('{"title": "\\ud800", "brief_description": "Résumé"}')
    )
    response = client.post(
        reverse("observatory:api:proposal_create"), body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert not InitiativeProposal.objects.exists()


def test_an_api_id_out_of_range_is_a_validation_error(client, user):
    client.force_login(user)
    for value in (OVERFLOW, "-1", "0"):
        response = client.get(f"/observatoire/api/proposals/{value}")
        assert response.status_code == 422, value
        assert response.json()["errors"][0]["field"] == "proposal_id"


def test_api_errors_have_the_documented_shapes(client):
    response = client.post(
        reverse("observatory:api:proposal_create"), "{}", content_type="application/json"
    )
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    response = client.get("/observatoire/api/initiatives?page=0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


# --- forms -------------------------------------------------------------------------------


def profile_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "title": "",
        "actor_category": "association_staff",
        "commune": "",
        "bio": "",
        "email": "",
        "phone": "",
        "is_listed": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "30",
        "memberships-0-organisation": "",
        "memberships-0-role": "",
        "memberships-0-start_date": "",
        "memberships-0-end_date": "",
    }
    return data | overrides


@pytest.mark.parametrize(
    "value,code",
    [("a\x00b", "control_characters"), (LONG, "max_length"), ("cerdd\r\nx", "line_break")],
)
def test_the_profile_refuses_a_hostile_organisation_on_its_field(client, user, value, code):
    OrganisationFactory(name="Cerdd", slug="cerdd")
    client.force_login(user)
    response = client.post(
        reverse("directory:profile_edit"),
        profile_data(**{"memberships-0-organisation": value, "memberships-0-role": "Membre"}),
    )
    assert response.status_code == 200
    membership_form = response.context["formset"].forms[0]
    assert field_codes(membership_form, "organisation") == {code}
    assert "\x00" not in response.content.decode()
    assert not Person.objects.filter(user=user).exists()


@pytest.mark.parametrize("value", [OVERFLOW, "-9223372036854775809", "1" * 40])
def test_the_profile_refuses_a_theme_id_out_of_range(client, user, value):
    ThemeFactory()
    client.force_login(user)
    response = client.post(reverse("directory:profile_edit"), profile_data(themes=[value]))
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors


@pytest.mark.parametrize("value", ["06 12 34 56 78\r\nBcc: x@example.org", "<b>0612345678</b>"])
def test_the_profile_refuses_a_phone_number_with_line_breaks_or_html(client, user, value):
    client.force_login(user)
    response = client.post(reverse("directory:profile_edit"), profile_data(phone=value))
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors


def test_registration_refuses_an_option_id_out_of_range(client):
    event = make_lille_meetings()
    from tests.events.test_registration_views import lille_form

    response = client.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        lille_form(event, options=[OVERFLOW]),
    )
    assert response.status_code == 400  # the events' invalid forms answer 400
    assert "options" in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "name,value,code",
    [
        ("first_name", "Cl\x00aire", "control_characters"),
        ("email", "claire\x00@lenord.fr", "control_characters"),
        ("last_name", LONG, "max_length"),
    ],
)
def test_registration_refuses_hostile_text_on_its_field(client, name, value, code):
    event = make_lille_meetings()
    from tests.events.test_registration_views import lille_form

    response = client.post(
        reverse("events:register", kwargs={"slug": event.slug}), lille_form(event, **{name: value})
    )
    assert response.status_code == 400
    assert code in field_codes(response.context["form"], name)


def step_url(proposal, step):
    return reverse("observatory:proposal_step", kwargs={"pk": proposal.pk, "step": step})


@pytest.mark.parametrize("value", ["ab\x00cd", "ab\x00c", LONG])
def test_contribution_step_two_refuses_a_hostile_commune_and_shows_the_form_again(
    client, user, value
):
    CommuneFactory(insee="59350", name="Lille")
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    response = client.post(step_url(proposal, 2), {"commune": value, "scale": ""})
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("name", ["lead_organisations", "partners", "contacts"])
@pytest.mark.parametrize("value", [LONG, ("Nom\n" * 5000), "Cerdd\x00"])
def test_contribution_step_three_refuses_hostile_names(client, user, name, value):
    proposal = ProposalFactory(author=user)
    client.force_login(user)
    response = client.post(step_url(proposal, 3), {name: value})
    assert response.status_code == 200
    assert name in response.context["form"].errors


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_staff_import_with_a_nul_in_a_title_is_refused_in_the_preview(client, staff):
    client.force_login(staff)
    csv = "slug,title,brief_description\nnul-titre,Ti\x00tre,Résumé\nautre\x00,Autre,Résumé\n"
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload("lot.csv", csv.encode())}
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    errors = {(row.number, column) for row in plan.invalid_rows for column, _message in row.errors}
    assert (2, "title") in errors and (3, "slug") in errors
    assert response.context["confirm_form"] is None
    assert not Initiative.objects.exists()


# --- the bases themselves ----------------------------------------------------------------


class SampleForm(core_forms.Form):
    text = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    count = forms.IntegerField(required=False)
    themes = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from terreau.core.models import Theme

        self.fields["themes"].queryset = Theme.objects.all()


@pytest.mark.parametrize(
    "data,field,code",
    [
        ({"text": "a\x00b"}, "text", "control_characters"),
        ({"text": "a\x7fb"}, "text", "control_characters"),
        ({"notes": "a\x0bb"}, "notes", "control_characters"),
        ({"text": "x" * 1001}, "text", "max_length"),
        ({"notes": "x" * 30_001}, "notes", "max_length"),
        ({"count": OVERFLOW}, "count", "max_value"),
        ({"count": "-" + OVERFLOW + "1"}, "count", "max_value"),
        ({"themes": [OVERFLOW]}, "themes", "invalid_pk_value"),
        ({"themes": ["1"] * 501}, "themes", "max_values"),
    ],
)
def test_the_base_form_refuses_each_hostile_value_with_one_message(data, field, code):
    form = SampleForm(data)
    assert not form.is_valid()
    assert field_codes(form, field) == {code}
    assert list(form.errors) == [field]


def test_the_base_form_keeps_line_breaks_and_tabs_in_textareas():
    form = SampleForm({"notes": "ligne 1\r\nligne\t2", "text": "Un texte ordinaire « é »"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "ligne 1\r\nligne\t2"


def _project_modules():
    for module in pkgutil.walk_packages(terreau.__path__, "terreau."):
        if ".migrations" in module.name or module.name.endswith(("__main__", ".wsgi", ".asgi")):
            continue
        yield importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_form_and_filterset_of_the_project_uses_the_hardened_bases():
    import django_filters
    from ninja import Schema

    from terreau.core.api import InputSchema
    from terreau.core.filters import FilterSet

    list(_project_modules())
    unhardened = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("terreau.")
        and not issubclass(cls, core_forms.HardenedFormMixin)
        # formset/filterset forms built at run time
        and not cls.__name__.endswith("FilterForm")
    ]
    unhardened += [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(django_filters.FilterSet)
        if cls.__module__.startswith("terreau.") and not issubclass(cls, FilterSet)
    ]
    unhardened += [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(Schema)
        if cls.__module__.startswith("terreau.")
        and cls.__name__.endswith("In")
        and not issubclass(cls, InputSchema)
    ]
    assert unhardened == []


@pytest.mark.parametrize("value", ["03 20 00 00 00\r\nBcc: x@example.org", "<b>0320000000</b>"])
def test_registration_refuses_a_phone_number_with_line_breaks_or_html(client, value):
    event = make_lille_meetings()
    from tests.events.test_registration_views import lille_form

    response = client.post(
        reverse("events:register", kwargs={"slug": event.slug}), lille_form(event, phone=value)
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors


@pytest.mark.parametrize(
    "path",
    [
        "/observatoire/",
        "/annuaire/",
        "/annuaire/personnes/",
        "/ressources/",
        "/evenements/",
        "/territoires/communes/",
        "/observatoire/api/initiatives",
    ],
)
@pytest.mark.parametrize("value", ["a%00b", OVERFLOW, "x" * 20_000, "-1"])
def test_list_filters_take_hostile_query_strings_without_a_server_error(client, path, value):
    keys = ["q", "theme", "commune", "department", "page", "year", "type", "sort", "kind"]
    query = "&".join(f"{key}={value}" for key in keys)
    response = client.get(f"{path}?{query}")
    assert response.status_code in {200, 400, 422}, (path, value, response.status_code)
