"""A lost registration link: sent again to the registered address only, the same answer for
every address, rate-limited; a signed-in person's registrations."""

import pytest
from django.urls import reverse

from terreau.events.models import RegistrationStatus
from terreau.events.services import registration_link as services
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def resend_url(event):
    return reverse("events:registration_link", kwargs={"slug": event.slug})


def test_the_link_goes_again_to_the_registered_address(client, mailoutbox):
    registration = RegistrationFactory(email="claire.martin@lenord.fr")
    response = client.post(resend_url(registration.event), {"email": "Claire.Martin@lenord.fr"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["claire.martin@lenord.fr"]
    assert "/evenements/mon-inscription/" in mailoutbox[0].body
    # Served on another address, the link follows it.
    assert "http://testserver/evenements/mon-inscription/" in mailoutbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    registration = RegistrationFactory(email="claire.martin@lenord.fr")
    answers = []
    for email in ["claire.martin@lenord.fr", "personne@example.org"]:
        response = client.post(resend_url(registration.event), {"email": email})
        page = client.get(response["Location"]).content.decode()
        answers.append((response.status_code, response["Location"], page.split("<main")[0]))
    assert answers[0] == answers[1]  # the same answer, message included
    assert "un message avec votre lien personnel" in answers[0][2]
    assert len(mailoutbox) == 1


def test_a_cancelled_registration_gets_no_link(client, mailoutbox):
    registration = RegistrationFactory(status=RegistrationStatus.CANCELLED)
    client.post(resend_url(registration.event), {"email": registration.email})
    assert mailoutbox == []


def test_one_message_per_address_in_ten_minutes(client, mailoutbox):
    registration = RegistrationFactory()
    for _ in range(3):
        client.post(resend_url(registration.event), {"email": registration.email})
    assert len(mailoutbox) == 1


def test_a_client_asking_too_often_is_told_to_wait(client, mailoutbox):
    event = EventFactory()
    for n in range(services.CLIENT_LIMIT):
        client.post(resend_url(event), {"email": f"x{n}@example.org"})
    response = client.post(resend_url(event), {"email": "y@example.org"})
    assert response.status_code == 429
    assert "data-error-summary" in response.content.decode()


def test_an_invalid_address_is_listed_in_the_error_summary(client):
    response = client.post(resend_url(EventFactory()), {"email": "claire@"})
    assert response.status_code == 400
    assert 'href="#id_email"' in response.content.decode()


def test_my_registrations_lists_the_signed_in_persons_registrations(
    client, user, django_assert_num_queries
):
    mine = RegistrationFactory(email=user.email.upper())
    other = RegistrationFactory()
    url = reverse("events:my_registrations")
    assert client.get(url).status_code == 302
    client.force_login(user)
    body = client.get(url).content.decode()
    assert mine.event.title in body and other.event.title not in body
    assert "/evenements/mon-inscription/" in body
    RegistrationFactory.create_batch(2, email=user.email)
    with django_assert_num_queries(3):  # session, user, registrations with their events
        client.get(url)
