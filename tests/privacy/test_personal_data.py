"""A person's data in their hands: export (JSON and page), account deletion that leaves
nothing of them in any table but anonymised statistics, directory removal by signed link
(forged or replayed links change nothing), the register and the purge."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.library.factories import NeedFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

EMAIL = "zoe.verhaeghe@example.org"
NAMES = ["Zoé", "Verhaeghe"]


@pytest.fixture
def member():
    from terreau.events.models import Registration
    from terreau.library.models import Offer
    from tests.directory.factories import PersonFactory
    from tests.events.factories import EventFactory

    user = UserFactory(email=EMAIL, first_name="Zoé", last_name="Verhaeghe")
    user.set_password("secret-pass-2026")
    user.save()
    person = PersonFactory(
        user=user, first_name="Zoé", last_name="Verhaeghe", email=EMAIL, bio="Zoé anime un SEL."
    )
    SubscriberFactory(email=EMAIL, user=user)
    need = NeedFactory(
        author=user, author_name="Zoé Verhaeghe", title="Relancer le SEL du quartier ?"
    )
    Offer.objects.create(
        need=NeedFactory(),
        author=user,
        author_name="Zoé Verhaeghe",
        kind="help",
        text="Je peux aider",
    )
    registration = Registration.objects.create(
        event=EventFactory(),
        person=person,
        first_name="Zoé",
        last_name="Verhaeghe",
        email=EMAIL,
        phone="0600000000",
        employer="Mairie",
        job_title="Élue",
        actor_category="elected",
    )
    return {"user": user, "person": person, "need": need, "registration": registration}


def rows_naming_the_person() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model._meta.managed:  # views of search indexes (the SQLite FTS tables)
            continue
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, (models.CharField, models.TextField, models.JSONField, models.EmailField)
            )
        ]
        for row in model._default_manager.all():
            for field in text_fields:
                value = str(getattr(row, field.attname) or "")
                if EMAIL in value.lower() or any(name in value for name in NAMES):
                    found.append(f"{model._meta.label}.{field.name} #{row.pk}")
    return found


def test_export_holds_the_persons_data_from_every_app(client, member):
    client.force_login(member["user"])
    data = json.loads(client.get(reverse("privacy:export_json")).content)
    assert data["accounts"]["account"][0]["email"] == EMAIL
    assert data["directory"]["person"][0]["bio"] == "Zoé anime un SEL."
    assert data["events"]["registrations"][0]["phone"] == "0600000000"
    assert data["library"]["newsletter"][0]["email"] == EMAIL
    assert data["library"]["codevelopment_needs"][0]["title"] == "Relancer le SEL du quartier ?"
    page = client.get(reverse("privacy:export")).content.decode()
    assert "0600000000" in page and "Zoé anime un SEL." in page


@pytest.mark.parametrize("remove_content", [False, True])
def test_deleting_the_account_leaves_nothing_but_anonymised_statistics(
    client, member, remove_content
):
    from terreau.events.models import Registration
    from terreau.library.models import Need

    assert rows_naming_the_person()
    client.force_login(member["user"])
    response = client.post(
        reverse("privacy:account_delete"),
        {"password": "secret-pass-2026", "content": "remove" if remove_content else "keep"},
    )
    assert response.status_code == 200
    assert rows_naming_the_person() == []
    registration = Registration.objects.get(pk=member["registration"].pk)
    assert registration.actor_category == "elected" and registration.person is None
    need = Need.objects.filter(pk=member["need"].pk).first()
    if remove_content:
        assert need is None
    else:
        assert need.author is None and need.author_name == "ancien membre"


def test_a_wrong_password_deletes_nothing(client, member):
    client.force_login(member["user"])
    response = client.post(
        reverse("privacy:account_delete"), {"password": "wrong", "content": "keep"}
    )
    assert response.status_code == 400
    assert member["user"].__class__.objects.filter(pk=member["user"].pk).exists()


def test_a_directory_entry_without_account_is_removed_by_its_signed_link(client, mailoutbox):
    from terreau.directory.models import Person
    from tests.directory.factories import PersonFactory

    PersonFactory(first_name="Zoé", last_name="Verhaeghe", email=EMAIL)
    other = PersonFactory(email="autre@example.org")
    client.post(reverse("privacy:removal_request"), {"email": "ZOE.verhaeghe@example.org"})
    client.post(reverse("privacy:removal_request"), {"email": "personne@example.org"})
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    link = "/" + mailoutbox[0].body.split("://", 1)[1].split("/", 1)[1].split()[0]
    # Forged: another person's id with this signature, or garbage.
    token = link.rstrip("/").rsplit("/", 1)[1]
    from django.core import signing

    wrong_end = token[:-2] + ("yy" if token.endswith("zz") else "zz")
    # Another person's id signed with another key (the pk's digits need not appear in a token).
    other_id = signing.dumps([other.pk, other.email], salt="not-the-removal-salt", compress=False)
    for bad in ("x", wrong_end, other_id):
        assert client.post(reverse("privacy:removal_confirm", args=[bad])).status_code == 404
    assert Person.objects.count() == 2
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert list(Person.objects.all()) == [other]
    # Replayed: the entry is gone, nothing more happens.
    assert client.post(link).status_code == 404
    assert list(Person.objects.all()) == [other]


def test_the_privacy_page_shows_the_register_of_processing_purposes(client):
    page = client.get(reverse("core:privacy")).content.decode()
    assert "Registre des traitements" in page
    assert "Lettre d&#x27;information" in page or "Lettre d'information" in page
    assert "3 ans" in page and "Supprimer mon compte" in page


def test_purge_expired_removes_what_is_past_its_retention():
    from terreau.library.models import Subscriber

    old = SubscriberFactory(state="pending")
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    fresh = SubscriberFactory(state="pending")
    call_command("purge_expired", stdout=io.StringIO())
    assert list(Subscriber.objects.all()) == [fresh]
