"""The directory's pages: lists with filters in the URL, detail pages, a member's profile."""

import pytest
from django.urls import reverse

from terreau.directory.models import Membership, Person
from tests.directory.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.factories import ThemeFactory
from tests.queries import page_queries
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def populate(count: int):
    nord = DepartmentFactory(code="59", name="Nord")
    themes = [ThemeFactory(), ThemeFactory()]
    for _n in range(count):
        commune = CommuneFactory(department=nord)
        organisation = OrganisationFactory(commune=commune)
        organisation.themes.set(themes)
        person = PersonFactory(commune=commune)
        person.themes.set(themes)
        MembershipFactory(person=person, organisation=organisation)
        MembershipFactory(person=person)


@pytest.mark.parametrize("url_name", ["directory:organisation_list", "directory:person_list"])
@pytest.mark.parametrize(
    "query", ["", "?par_page=100", "?par_page=50&theme=theme-0&departement=59&q=a"]
)
def test_list_pages_run_the_same_queries_with_one_row_and_with_thirty(client, url_name, query):
    from django.core.cache import cache

    # Both pages rendered cold (nothing of the first kept in the cache for the second).
    populate(1)
    cache.clear()
    one, _ = page_queries(client, reverse(url_name) + query)
    populate(30)
    cache.clear()
    thirty, _ = page_queries(client, reverse(url_name) + query)
    assert thirty == one <= 6  # the page-cache version, then the page


def test_list_page_size_and_pagination_follow_the_url(client):
    for n in range(25):
        OrganisationFactory(name=f"Structure {n:02d}")
    page_one = client.get(reverse("directory:organisation_list")).content.decode()
    assert "Structure 19" in page_one and "Structure 20" not in page_one
    page_two = client.get(reverse("directory:organisation_list") + "?page=2").content.decode()
    assert "Structure 20" in page_two
    everything = client.get(reverse("directory:organisation_list") + "?par_page=50")
    assert "Structure 24" in everything.content.decode()


def test_organisation_filters_live_in_the_url(client):
    somme = DepartmentFactory(code="80", name="Somme")
    amiens = CommuneFactory(insee="80021", name="Amiens", department=somme)
    OrganisationFactory(
        name="Centre socio-culturel d'Étouvie", kind="social_centre", commune=amiens
    )
    OrganisationFactory(name="Ville de Raismes", kind="commune")
    response = client.get(
        reverse("directory:organisation_list"),
        {"q": "etouvie", "type": "social_centre", "departement": "80"},
    )
    body = response.content.decode()
    assert "Centre socio-culturel d&#x27;Étouvie" in body
    assert "Ville de Raismes" not in body
    assert 'value="etouvie"' in body


def test_bad_filter_values_are_reported_and_never_fail(client):
    OrganisationFactory(name="Ville de Raismes")
    response = client.get(
        reverse("directory:organisation_list"),
        {
            "type": "nonsense",
            "departement": "99",
            "theme": "<script>",
            "par_page": "7",
            "page": "x",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ville de Raismes" in body
    assert "errorlist" in body
    assert "<script>" not in body


def test_htmx_requests_get_only_the_results(client):
    OrganisationFactory(name="Ville de Raismes")
    response = client.get(
        reverse("directory:organisation_list"), {"q": "raismes"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Ville de Raismes" in body
    assert "HX-Request" in response["Vary"]


def test_organisation_page_shows_details_memberships_parent_and_children(client):
    parent = OrganisationFactory(name="Conseil régional")
    organisation = OrganisationFactory(name="Direction du développement durable", parent=parent)
    OrganisationFactory(name="Mission participation", parent=organisation)
    theme = ThemeFactory(name="Participation citoyenne")
    organisation.themes.add(theme)
    person = PersonFactory(first_name="Rabah", last_name="Ghomrane")
    MembershipFactory(person=person, organisation=organisation, role="Chargé de mission")
    body = client.get(organisation.get_absolute_url()).content.decode()
    for text in [
        "Conseil régional",
        "Mission participation",
        "Participation citoyenne",
        "Rabah Ghomrane",
        "Chargé de mission",
    ]:
        assert text in body


def test_person_page_lists_memberships(client):
    membership = MembershipFactory(role="Directrice de la communication")
    body = client.get(membership.person.get_absolute_url()).content.decode()
    assert membership.organisation.name in body
    assert "Directrice de la communication" in body


def test_unknown_organisation_or_person_is_404(client):
    assert client.get(reverse("directory:organisation_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("directory:person_detail", args=["nope"])).status_code == 404


def profile_data(**overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "title": "Animatrice",
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
    data.update(overrides)
    return data


def test_a_member_creates_their_profile_on_first_edit(client, user):
    organisation = OrganisationFactory(name="Cerdd")
    client.force_login(user)
    assert client.get(reverse("directory:profile_edit")).status_code == 200
    response = client.post(
        reverse("directory:profile_edit"),
        profile_data(
            **{"memberships-0-organisation": "cerdd", "memberships-0-role": "Chargée de mission"}
        ),
    )
    person = Person.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.is_listed and person.title == "Animatrice"
    assert person.memberships.get().organisation == organisation


def test_the_organisation_can_be_typed_by_its_exact_name(client, user):
    organisation = OrganisationFactory(name="Ville d'Amiens")
    client.force_login(user)
    client.post(
        reverse("directory:profile_edit"),
        profile_data(**{"memberships-0-organisation": "ville d'amiens"}),
    )
    assert Person.objects.get(user=user).memberships.get().organisation == organisation


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
        ({"email": "not-an-email"}, "email", "Saisissez une adresse de courriel valide."),
        ({"phone": "call me maybe"}, "phone", "Saisissez un numéro de téléphone"),
        ({"actor_category": "king"}, "actor_category", "Sélectionnez un choix valide"),
        ({"commune": "00000"}, "commune", "Aucune commune ne correspond"),
        ({"is_listed": "", "contact_consent": "on"}, "contact_consent", "que si vous apparaissez"),
        (
            {"memberships-0-organisation": "Nulle part"},
            "organisation",
            "Choisissez une organisation",
        ),
        (
            {
                "memberships-0-organisation": "cerdd",
                "memberships-0-start_date": "2022-01-01",
                "memberships-0-end_date": "2021-01-01",
            },
            "end_date",
            "La date de fin ne peut pas précéder",
        ),
        (
            {"memberships-0-organisation": "cerdd", "memberships-0-start_date": "31/02/2020"},
            "start_date",
            "Saisissez une date valide.",
        ),
    ],
)
def test_bad_profile_input_gets_a_field_error_and_saves_nothing(
    client, user, overrides, field, message
):
    OrganisationFactory(name="Cerdd", slug="cerdd")
    client.force_login(user)
    response = client.post(reverse("directory:profile_edit"), profile_data(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_a_broken_formset_is_a_form_error_not_a_crash(client, user):
    client.force_login(user)
    data = profile_data()
    del data["memberships-TOTAL_FORMS"]
    response = client.post(reverse("directory:profile_edit"), data)
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_a_member_cannot_take_over_another_persons_membership(client, user):
    PersonFactory(user=user)
    other = MembershipFactory(role="Directrice")
    client.force_login(user)
    data = profile_data(
        **{
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(other.pk),
            "memberships-0-organisation": other.organisation.slug,
            "memberships-0-DELETE": "on",
        }
    )
    response = client.post(reverse("directory:profile_edit"), data)
    assert response.status_code == 200
    assert Membership.objects.filter(pk=other.pk).exists()


def test_markdown_in_a_bio_cannot_inject_script(client, user):
    person = PersonFactory(bio="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    body = client.get(person.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "javascript:" not in body


def test_suggestions_list_matching_organisations(client):
    OrganisationFactory(name="Ville de Raismes", slug="ville-de-raismes")
    OrganisationFactory(name="Cerdd")
    response = client.get(
        reverse("directory:organisation_suggestions"), {"memberships-0-organisation": "raism"}
    )
    body = response.content.decode()
    assert 'value="ville-de-raismes"' in body
    assert "Cerdd" not in body


def test_home_page_shows_the_directory_section(client):
    OrganisationFactory()
    PersonFactory()
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("directory:organisation_list") in body


def test_staff_edit_a_contact_without_an_account(client, staff):
    person = PersonFactory(first_name="Rabah", last_name="Ghomrane")
    client.force_login(staff)
    response = client.post(
        reverse("directory:person_edit", args=[person.slug]),
        profile_data(first_name="Rabah", last_name="Ghomrane", title="Chargé de mission"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "Chargé de mission"
    assert person.user is None


def test_the_directory_speaks_english_when_asked(client):
    OrganisationFactory(name="Cerdd", kind="public_body")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("directory:organisation_list")).content.decode()
    assert "Directory of organisations" in body
    assert "Public body" in body
    assert 'lang="en"' in body
