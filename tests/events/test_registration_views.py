"""Registration pages: the public form, the personal link, the participant list and the staff
area (permissions, filters, CSV export, segment e-mails, questions, survey charts)."""

import csv
import io
import re
from html import unescape

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terreau.events.models import (
    Answer,
    Event,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    Session,
    WorkshopChoice,
)
from terreau.events.selectors.registration import (
    registration_manage_path,
    registration_signed_token,
)
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    SessionFactory,
    SlotFactory,
)
from tests.events.registration_fixtures import make_lille_meetings, rounds_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def lille(db):
    return make_lille_meetings()


def lille_form(event, email="claire.martin@lenord.fr", **extra) -> dict:
    data = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": email,
        "employer": "Département du Nord",
        "employer_kind": "departement",
        "job_title": "Chargée de mission",
        "actor_category": "public_staff",
        "options": [o.pk for o in event.options.all()],
        "consent": "on",
        "is_listed": "on",
    }
    for sessions in rounds_of(event).values():
        for rank, session in enumerate(sessions[:3], start=1):
            data[f"round_{session.slot_id}_{rank}"] = str(session.pk)
    question = event.questions.get(kind=Question.Kind.YES_NO)
    data[f"question_{question.pk}"] = "yes"
    return data | extra


def register_url(event):
    return reverse("events:register", kwargs={"slug": event.slug})


# --- the public form -----------------------------------------------------------------------


def test_the_form_asks_for_each_round_questions_options_and_consent(client, lille):
    response = client.get(register_url(lille))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert html.count("1er choix") == 3 and "3e choix" in html
    assert "Souhaitez-vous présenter une expérience en atelier ?" in html
    assert "Soirée du mardi" in html and "Régime alimentaire" in html
    assert "75" in html and "mandat administratif" in html
    assert "Type d'employeur" in unescape(html)
    assert 'name="consent"' in html and 'name="is_listed"' in html


def test_registering_redirects_to_the_personal_page_and_sends_the_email(
    client, lille, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(lille), lille_form(lille))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == registration_manage_path(registration)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.options.count() == 2 and registration.is_listed
    assert WorkshopChoice.objects.filter(registration=registration).count() == 9
    assert Answer.objects.get(registration=registration).value is True
    assert mail.outbox[0].to == ["claire.martin@lenord.fr"]
    page = client.get(response.url).content.decode()
    assert "Mon programme" in page and rounds_of(lille)[2][0].title in unescape(page)


def test_round_headings_page_and_email_print_times_as_the_programme_does(
    client, lille, django_capture_on_commit_callbacks
):
    form_page = unescape(client.get(register_url(lille)).content.decode())
    # Each round says its day and its time.
    assert re.search(
        r"Tour 1 — (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) [^,]+, 16h30", form_page
    )
    assert "16:30" not in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(lille), lille_form(lille))
    body = mail.outbox[0].body
    assert "16h30–18h15" in body and "16:30" not in body
    page = client.get(response.url).content.decode()
    assert "16h30–18h15" in page and "16:30" not in page


def test_the_form_shows_parts_changed_after_it_was_first_shown(client):
    event = EventFactory()
    assert client.get(register_url(event)).status_code == 200  # read once, then cached
    # Changed through objects of their own, as the admin would: not through `event`.
    fresh = Event.objects.get(pk=event.pk)
    question = QuestionFactory(event=fresh, label="Votre commune ?", is_required=True)
    slot = SlotFactory(day=EventDayFactory(event=fresh), round_number=1)
    SessionFactory(slot=slot, title="Atelier budget participatif")
    html = unescape(client.get(register_url(event)).content.decode())
    assert "Votre commune ?" in html and "Atelier budget participatif" in html
    response = client.post(register_url(event), form_data_without(question))
    assert response.status_code == 400
    assert f"question_{question.pk}" in response.context["form"].errors
    question.delete()
    Session.objects.filter(slot=slot).update(title="ignored: update() sends no signal")
    Session.objects.get(slot=slot).save()
    html = unescape(client.get(register_url(event)).content.decode())
    assert "Votre commune ?" not in html and "ignored: update() sends no signal" in html


def form_data_without(question) -> dict:
    return {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": "camille@example.org",
        "consent": "on",
        f"question_{question.pk}": "",
    }


def test_the_blank_form_reads_only_the_event_and_its_seats(
    client, lille, django_assert_num_queries, settings
):
    client.get(register_url(lille))
    # Stored by the page cache: the content versions only.
    with django_assert_num_queries(1):
        assert client.get(register_url(lille)).status_code == 200
    settings.PAGE_CACHE_ENABLED = False
    # Built: the event, the content version, the seats taken, the workshops already full.
    with django_assert_num_queries(4):
        assert client.get(register_url(lille)).status_code == 200


def test_a_double_submit_from_the_same_browser_lands_on_the_existing_registration(client, lille):
    client.post(register_url(lille), lille_form(lille))
    response = client.post(register_url(lille), lille_form(lille), follow=True)
    assert Registration.objects.count() == 1
    assert "Vous êtes déjà inscrit·e à cet événement." in response.content.decode()


def test_an_anonymous_sign_up_keeps_its_token_in_a_signed_cookie_not_a_session(client, lille):
    from django.contrib.sessions.models import Session as StoredSession

    client.post(register_url(lille), lille_form(lille))
    assert not StoredSession.objects.exists()
    cookie = client.cookies["terreau_registrations"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_forged_remember_cookie_reveals_nothing(client, lille):
    client.post(register_url(lille), lille_form(lille))
    registration = Registration.objects.get()
    other = Client()
    other.cookies["terreau_registrations"] = f'{{"{lille.pk}":"{registration.token}"}}'
    response = other.post(register_url(lille), lille_form(lille))
    assert response.status_code == 400  # told it is registered, not sent to the personal page
    assert registration_manage_path(registration) not in response.content.decode()


def test_the_same_email_from_another_browser_is_told_it_is_already_registered(client, lille):
    client.post(register_url(lille), lille_form(lille))
    other = Client()
    response = other.post(register_url(lille), lille_form(lille, email="CLAIRE.martin@lenord.fr"))
    assert response.status_code == 400
    assert "déjà inscrit·e" in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_workshop_from_another_round_is_refused_with_a_field_error(client, lille):
    rounds = rounds_of(lille)
    data = lille_form(lille)
    data[f"round_{rounds[1][0].slot_id}_1"] = str(rounds[2][0].pk)
    response = client.post(register_url(lille), data)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_non_public_employer_is_refused_on_a_professional_event(client, lille):
    response = client.post(register_url(lille), lille_form(lille, employer_kind="association"))
    assert response.status_code == 400
    assert "réservé aux professionnels du service public" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_closed_event_shows_why_and_no_form(client):
    event = EventFactory(capacity=1, has_waiting_list=False)
    RegistrationFactory(event=event)
    response = client.get(register_url(event))
    html = response.content.decode()
    assert "L'événement est complet." in unescape(html)
    assert 'name="email"' not in html
    response = client.post(
        register_url(event),
        {"first_name": "A", "last_name": "B", "email": "a@b.fr", "consent": "on"},
    )
    assert response.status_code == 400
    assert Registration.objects.filter(event=event).count() == 1


def test_a_draft_event_has_no_registration_page(client):
    event = EventFactory(state="draft")
    assert client.get(register_url(event)).status_code == 404


# --- the personal link ---------------------------------------------------------------------


def test_a_tampered_link_gives_a_clear_not_found_page(client):
    registration = RegistrationFactory()
    path = registration_manage_path(registration)
    tampered = path.replace(path.split("/")[-2][-4:], "abcd")
    for url in (tampered, "/evenements/mon-inscription/nimportequoi/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ce lien d'inscription n'est pas valide" in unescape(response.content.decode())


def test_the_link_changes_choices_and_cancels(client, lille, django_capture_on_commit_callbacks):
    client.post(register_url(lille), lille_form(lille))
    registration = Registration.objects.get()
    manage = registration_manage_path(registration)
    rounds = rounds_of(lille)
    data = lille_form(lille)
    del data["email"], data["consent"]
    data[f"round_{rounds[3][0].slot_id}_1"] = str(rounds[3][3].pk)
    data[f"round_{rounds[3][0].slot_id}_2"] = ""
    data[f"round_{rounds[3][0].slot_id}_3"] = ""
    response = client.post(manage + "modifier/", data)
    assert response.status_code == 302
    assert registration.choices.get(session__slot=rounds[3][0].slot).session == rounds[3][3]
    assert client.get(manage + "annuler/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "annuler/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert "annulée" in mail.outbox[-1].subject


def test_the_link_gives_the_personal_programme_as_ics(client, lille):
    client.post(register_url(lille), lille_form(lille))
    registration = Registration.objects.get()
    response = client.get(registration_manage_path(registration) + "programme.ics")
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar"
    assert body.count("BEGIN:VEVENT") == 6
    assert "Ouverture officielle" in body


def test_registrants_answer_the_survey_through_their_link(client):
    event = EventFactory()
    question = Question.objects.create(
        event=event,
        label="Vos attentes",
        kind=Question.Kind.MULTIPLE,
        choices="Rencontrer\nApprendre",
        purpose=Question.Purpose.SURVEY,
    )
    registration = RegistrationFactory(event=event)
    url = registration_manage_path(registration) + "questionnaire/"
    assert "Vos attentes" in client.get(url).content.decode()
    client.post(url, {f"question_{question.pk}": ["Rencontrer", "Apprendre"]})
    assert Answer.objects.get(registration=registration).value == ["Rencontrer", "Apprendre"]
    response = client.post(url, {f"question_{question.pk}": ["Danser"]})
    assert response.status_code == 400


def test_the_public_list_shows_name_and_organisation_of_listed_participants_only(client):
    event = EventFactory()
    RegistrationFactory(
        event=event,
        first_name="Léa",
        last_name="Roux",
        employer="Ville d'Arras",
        email="lea@arras.fr",
        is_listed=True,
    )
    RegistrationFactory(event=event, first_name="Paul", last_name="Caché", is_listed=False)
    RegistrationFactory(
        event=event,
        first_name="Zoé",
        last_name="Attente",
        is_listed=True,
        status=RegistrationStatus.WAITLISTED,
    )
    html = client.get(reverse("events:participant_list", kwargs={"slug": event.slug})).content
    html = html.decode()
    assert "Léa Roux" in html and "Ville d" in html
    assert "Caché" not in html and "Attente" not in html and "lea@arras.fr" not in html


# --- staff area ----------------------------------------------------------------------------


STAFF_URLS = [
    "events:registration_table",
    "events:registration_export",
    "events:registration_email",
    "events:question_list",
    "events:survey_results",
]


def test_the_staff_pages_are_for_staff_only(client, user, staff):
    event = EventFactory()
    urls = [reverse(name, kwargs={"slug": event.slug}) for name in STAFF_URLS]
    assert [client.get(url).status_code for url in urls] == [302] * len(urls)
    client.force_login(user)
    assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)


def test_a_registrant_link_does_not_open_another_registration_in_the_staff_area(client, user):
    registration = RegistrationFactory()
    client.force_login(user)
    url = reverse(
        "events:registration_staff_detail",
        kwargs={"slug": registration.event.slug, "pk": registration.pk},
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "cancel"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def table_queries(client, event) -> int:
    url = reverse("events:registration_table", kwargs={"slug": event.slug})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"status": "confirmed"}).status_code == 200
    return len(queries)


def test_the_staff_table_runs_a_constant_number_of_queries(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory(event=event, tariff=None)
    small = table_queries(client, event)
    RegistrationFactory.create_batch(6, event=event, actor_category="elected")
    assert table_queries(client, event) == small


def test_the_staff_table_filters_and_counts(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=event, last_name="Lefebvre", payment_status=PaymentStatus.PAID)
    url = reverse("events:registration_table", kwargs={"slug": event.slug})
    response = client.get(url, {"status": "waitlisted"})
    assert len(response.context["registrations"]) == 2
    assert ("waitlisted", "Liste d'attente", 2) in response.context["counts"]["status"]
    response = client.get(url, {"q": "lefeb", "payment_status": "paid"})
    assert [r.last_name for r in response.context["registrations"]] == ["Lefebvre"]


def test_each_count_links_to_the_table_filtered_on_it_keeping_the_other_filters(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event, status=RegistrationStatus.WAITLISTED)
    url = reverse("events:registration_table", kwargs={"slug": event.slug})
    response = client.get(url, {"q": "dupont", "status": "confirmed", "page": "2"})
    groups = dict(response.context["count_groups"])
    waiting = next(link for link in groups["Statut"] if link.label == "Liste d'attente")
    assert waiting.count == 2 and not waiting.is_current
    assert waiting.href == "?q=dupont&status=waitlisted"
    assert next(link for link in groups["Statut"] if link.label == "Confirmée").is_current
    html = response.content.decode()
    assert 'href="?q=dupont&amp;status=waitlisted"' in html


def export(client, event):
    url = reverse("events:registration_export", kwargs={"slug": event.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content))), len(queries)


def test_the_csv_export_has_one_column_per_question_and_constant_queries(client, staff, lille):
    client.force_login(staff)
    client.post(register_url(lille), lille_form(lille, email="first@lenord.fr"))
    client.force_login(staff)
    rows, small = export(client, lille)
    for i in range(4):
        client.post(register_url(lille), lille_form(lille, email=f"p{i}@lenord.fr"))
    rows, large = export(client, lille)
    assert small == large
    header = rows[0]
    assert "Souhaitez-vous présenter une expérience en atelier ?" in header
    assert "Vos attentes" in header and "Tour 1 : choix" in header
    assert len(rows) == 6
    first = dict(zip(header, rows[1], strict=True))
    assert first["Adresse e-mail"] == "first@lenord.fr"
    assert first["Souhaitez-vous présenter une expérience en atelier ?"] == "Oui"
    assert first["Options"] == "Soirée du mardi; Déjeuner du mercredi"
    assert first["Tour 1 : choix"].startswith("1. Les démarches citoyennes")


def test_the_csv_export_neutralises_spreadsheet_formulas(client, staff):
    client.force_login(staff)
    event = EventFactory()
    RegistrationFactory(event=event, last_name="=HYPERLINK(1)")
    rows, _count = export(client, event)
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_staff_email_a_filtered_segment(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    event = EventFactory()
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=event)
    url = reverse("events:registration_email", kwargs={"slug": event.slug}) + "?status=waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Liste d'attente", "body": "Patience !"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert "Patience !" in mail.outbox[0].body


def test_staff_approve_and_record_payment(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    event = EventFactory(requires_approval=True)
    registration = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    url = reverse(
        "events:registration_staff_detail", kwargs={"slug": event.slug, "pk": registration.pk}
    )
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve"})
    client.post(
        url,
        {
            "action": "payment",
            "payment_status": "paid",
            "invoice_number": "F-118",
            "order_reference": "BC-9",
        },
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert (registration.payment_status, registration.invoice_number) == ("paid", "F-118")
    assert mail.outbox[-1].to == [registration.email]

    # Who did what is kept in the registration's history, which staff read on its page.
    actions = list(registration.actions.values_list("kind", "by", "detail"))
    assert actions == [
        ("approved", staff.pk, "Confirmée"),
        ("payment", staff.pk, "Payé · F-118 · BC-9"),
    ]
    page = client.get(url).content.decode()
    assert "Historique" in page and str(staff) in page and "F-118 · BC-9" in page


def test_a_registrant_cancelling_through_their_link_is_in_the_history_without_a_name(client):
    registration = RegistrationFactory()
    token = registration_signed_token(registration)
    client.post(reverse("events:registration_cancel", kwargs={"signed_token": token}))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert list(registration.actions.values_list("kind", "by")) == [("cancelled", None)]


def test_the_staff_page_of_a_registration_runs_a_constant_number_of_queries(client, staff):
    client.force_login(staff)
    registration = RegistrationFactory()
    url = reverse(
        "events:registration_staff_detail",
        kwargs={"slug": registration.event.slug, "pk": registration.pk},
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = count()
    for kind in ("approved", "payment", "attended"):
        registration.actions.create(kind=kind, by=staff)
    assert count() == first


def test_staff_add_a_survey_question_and_see_results_as_svg_charts(client, staff):
    client.force_login(staff)
    event = EventFactory()
    url = reverse("events:question_list", kwargs={"slug": event.slug})
    response = client.post(
        url,
        {
            "purpose": "survey",
            "label": "Votre collectivité a-t-elle une charte ?",
            "kind": "choice",
            "choices": "Oui\nNon\nEn projet",
            "position": 1,
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(event=event)
    for value in ["Oui", "Oui", "En projet"]:
        Answer.objects.create(
            registration=RegistrationFactory(event=event), question=question, value=value
        )
    Question.objects.create(event=event, label="Un mot ?", purpose="survey")
    html = client.get(reverse("events:survey_results", kwargs={"slug": event.slug})).content
    html = html.decode()
    assert "<svg" in html and "<title>Votre collectivité a-t-elle une charte ?</title>" in html
    assert "Oui: 2; Non: 0; En projet: 1" in html
    bad = client.post(
        url, {"purpose": "survey", "label": "Choix", "kind": "choice", "choices": "", "position": 2}
    )
    assert bad.status_code == 400


def test_the_event_page_links_to_the_participants_and_staff_to_the_registrations(client, staff):
    event = EventFactory()
    detail = reverse("events:detail", kwargs={"slug": event.slug})
    participants = reverse("events:participant_list", kwargs={"slug": event.slug})
    table = reverse("events:registration_table", kwargs={"slug": event.slug})
    html = client.get(detail).content.decode()
    assert reverse("events:register", kwargs={"slug": event.slug}) in html
    assert participants not in html and table not in html
    RegistrationFactory(event=event, is_listed=True, first_name="Léa", employer="Ville d'Arras")
    RegistrationFactory(event=event, is_listed=False, first_name="Paul")
    html = unescape(client.get(detail).content.decode())
    assert participants in html and "Léa" in html and "Ville d'Arras" in html
    assert "Paul" not in html
    client.force_login(staff)
    assert table in client.get(detail).content.decode()
    manage = client.get(reverse("events:staff_event", kwargs={"slug": event.slug}))
    assert table in manage.content.decode()
