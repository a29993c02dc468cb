"""Co-development: members post needs and offer help, staff take them to a session and record
the outcome, the member marks them resolved; the public board and its filters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terreau.events.models import SessionKind
from terreau.library.models import Need, NeedState, Offer
from terreau.library.services import codevelopment as services
from tests.factories import ThemeFactory, UserFactory

from .factories import NeedFactory

pytestmark = pytest.mark.django_db


def codev_session():
    from tests.events.factories import SessionFactory

    return SessionFactory(kind=SessionKind.CODEVELOPMENT, title="Atelier de co-développement")


def test_a_member_posts_a_need_and_it_shows_on_the_board(client, user):
    theme = ThemeFactory()
    client.force_login(user)
    response = client.post(
        reverse("library:need_create"),
        {
            "title": "Comment relancer un SEL qui s'endort ?",
            "description": "Depuis 2020…",
            "themes": [theme.pk],
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302 and need.author == user and need.state == NeedState.OPEN
    board = client.get(reverse("library:need_list"), {"theme": theme.slug})
    assert "Comment relancer un SEL" in board.content.decode()
    assert "relancer" in client.get(reverse("library:need_list"), {"q": "RELANCÉ"}).content.decode()


def test_anonymous_visitors_read_but_cannot_post(client):
    need = NeedFactory()
    assert client.get(need.get_absolute_url()).status_code == 200
    assert client.get(reverse("library:need_create")).status_code == 302
    response = client.post(
        reverse("library:need_offer", args=[need.slug]), {"kind": "help", "text": "x"}
    )
    assert response.status_code == 302 and not Offer.objects.exists()


def test_a_peer_offers_an_experience_linked_to_an_initiative(client, user):
    from tests.observatory.factories import InitiativeFactory

    initiative = InitiativeFactory(published=True)
    need = NeedFactory()
    client.force_login(user)
    response = client.post(
        reverse("library:need_offer", args=[need.slug]),
        {"kind": "experience", "text": "Nous l'avons vécu.", "initiative": initiative.slug},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.initiative == initiative and offer.author == user
    assert initiative.title in client.get(need.get_absolute_url()).content.decode()


def test_only_staff_take_a_need_to_a_session_and_record_its_outcome(client, user, staff):
    need = NeedFactory()
    session = codev_session()
    client.force_login(user)
    assert (
        client.post(
            reverse("library:need_schedule", args=[need.slug]), {"session": session.pk}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("library:need_outcome", args=[need.slug]), {"outcome": "x"}).status_code
        == 403
    )
    client.force_login(staff)
    assert (
        client.post(
            reverse("library:need_schedule", args=[need.slug]), {"session": session.pk}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("library:need_outcome", args=[need.slug]), {"outcome": "Trois pistes."}
        ).status_code
        == 302
    )
    need.refresh_from_db()
    assert need.session == session and need.state == NeedState.SCHEDULED
    assert need.outcome == "Trois pistes." and need.outcome_recorded_at


def test_a_session_that_is_not_co_development_is_refused():
    from tests.events.factories import SessionFactory

    need = NeedFactory()
    with pytest.raises(ValidationError):
        services.need_schedule(need=need, session=SessionFactory(kind=SessionKind.PLENARY))
    need.refresh_from_db()
    assert need.session is None and need.state == NeedState.OPEN


def test_the_author_marks_their_need_resolved_and_others_cannot(client, user):
    need = NeedFactory(author=user)
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("library:need_resolve", args=[need.slug])).status_code == 403
    client.force_login(user)
    assert client.post(reverse("library:need_resolve", args=[need.slug])).status_code == 302
    need.refresh_from_db()
    assert need.state == NeedState.RESOLVED
    # Resolved needs leave the default board.
    assert need.title not in client.get(reverse("library:need_list")).content.decode()
    assert (
        need.title
        in client.get(reverse("library:need_list"), {"etat": "resolved"}).content.decode()
    )


def test_odd_filter_values_answer_normally(client):
    NeedFactory()
    for params in (
        {"etat": "nope"},
        {"theme": "x" * 500},
        {"q": "a" * 10_000},
        {"departement": "\x00"},
        {"page": "99999999999999999999"},
    ):
        assert client.get(reverse("library:need_list"), params).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_board_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    theme = ThemeFactory()
    for _ in range(count):
        need = NeedFactory(themes=[theme])
        services.need_schedule(need=need, session=codev_session())
    # One query reads the content versions (the page cache's key), the others the board.
    with django_assert_num_queries(6):
        assert client.get(reverse("library:need_list")).status_code == 200
