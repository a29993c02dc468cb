"""The staff table's tallies and search index, kept by database triggers (SQLite and PostgreSQL)."""

from collections import Counter

import pytest
from django.db import connection

from terreau.events import registration_index
from terreau.events.models import (
    Attendance,
    Event,
    PaymentStatus,
    Registration,
    RegistrationStatus,
    RegistrationTally,
)
from terreau.events.selectors import registration as selectors
from terreau.events.services import registration as services
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

KEYS = ("status", "attendance", "payment_status", "actor_category")


def live(event: Event) -> Counter:
    return Counter(Registration.objects.filter(event=event).values_list(*KEYS))


def tallied(event: Event) -> Counter:
    return Counter(
        {
            row[:-1]: row[-1]
            for row in RegistrationTally.objects.filter(event=event, count__gt=0).values_list(
                *KEYS, "count"
            )
        }
    )


def test_tallies_follow_every_kind_of_write():
    event, other = EventFactory(), EventFactory()
    first = RegistrationFactory(event=event, actor_category="elected")
    RegistrationFactory.create_batch(3, event=event, status=RegistrationStatus.WAITLISTED)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            first_name="A",
            last_name=f"B{n}",
            email=f"b{n}@x.fr",
            status=RegistrationStatus.CONFIRMED,
            token=f"bulk-{n}",
        )
        for n in range(5)
    )
    assert tallied(event) == live(event)
    assert sum(tallied(event).values()) == 9

    first.attendance = Attendance.ATTENDED
    first.save()
    first.save()  # saving unchanged columns changes nothing
    Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).update(
        status=RegistrationStatus.CONFIRMED, payment_status=PaymentStatus.PAID
    )
    assert tallied(event) == live(event)

    moved = Registration.objects.filter(event=event).last()
    moved.event = other
    moved.save()
    Registration.objects.filter(pk=first.pk).delete()
    assert tallied(event) == live(event)
    assert tallied(other) == live(other) == Counter({("confirmed", "unknown", "unpaid", ""): 1})


def test_tallies_follow_the_services_state_changes():
    event = EventFactory(capacity=1)
    first = RegistrationFactory(event=event)
    second = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED  # promoted from the waiting list
    assert tallied(event) == live(event)
    assert tallied(event)[("cancelled", "unknown", "unpaid", "")] == 1


def test_deleting_an_event_deletes_its_registrations_and_tallies():
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event)
    event_id = event.pk
    event.delete()
    assert not RegistrationTally.objects.filter(event_id=event_id).exists()


def test_the_counts_of_the_staff_table_are_the_tallies():
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event, actor_category="citizen")
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    counts = selectors.registration_counts(event, {"actor_category": "citizen"})
    assert counts["total"] == 3 and counts["matching"] == 2
    assert ("cancelled", "Annulée", 1) in counts["status"]


def search(event, text) -> list[str]:
    return sorted(
        selectors.registration_table(event, {"q": text}).values_list("last_name", flat=True)
    )


def test_search_finds_a_part_of_a_name_e_mail_or_employer_in_any_case():
    event, other = EventFactory(), EventFactory()
    RegistrationFactory(event=event, last_name="Nom4242", email="a@lenord.fr", employer="CCAS")
    RegistrationFactory(event=event, last_name="Nom42420", employer="Ville de Liévin")
    RegistrationFactory(event=event, last_name="Dupont", email="camille@mairie-arras.fr")
    RegistrationFactory(event=other, last_name="Nom4242")
    assert search(event, "nom4242") == ["Nom4242", "Nom42420"]
    assert search(event, "MAIRIE-ARR") == ["Dupont"]
    assert search(event, "de Liévin") == ["Nom42420"]
    assert search(event, "lenord") == ["Nom4242"]
    assert search(event, "Du") == ["Dupont"]  # too short for a trigram: read by a scan
    assert search(event, "introuvable") == []


@pytest.mark.parametrize("text", ['"', '"Nom', 'Nom" OR "x', "NEAR(a b)", "*", "a'b", "—é"])
def test_any_search_text_is_a_plain_phrase(text):
    event = EventFactory()
    RegistrationFactory(event=event, last_name='Nom" OR "x')
    assert search(event, text) in ([], ['Nom" OR "x'])


def test_search_follows_renames_and_deletions():
    event = EventFactory()
    registration = RegistrationFactory(event=event, last_name="Martin")
    registration.last_name = "Lefebvre"
    registration.save()
    assert search(event, "Martin") == []
    assert search(event, "lefeb") == ["Lefebvre"]
    registration.delete()
    assert search(event, "lefeb") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables in migrations")
def test_triggers_lost_in_a_table_rebuild_come_back_after_migrate_with_exact_counts():
    event = EventFactory()
    RegistrationFactory(event=event, last_name="Avant")
    with connection.cursor() as cursor:
        for name in registration_index.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    RegistrationFactory(event=event, last_name="Pendant")  # written while the triggers are gone
    registration_index.ensure_after_migrate(sender=None, using="default")
    assert tallied(event) == live(event)
    assert search(event, "pendant") == ["Pendant"]
    RegistrationFactory(event=event, last_name="Après")
    assert tallied(event) == live(event)
    assert search(event, "après") == ["Après"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises its writers")
@pytest.mark.django_db(transaction=True)
def test_opposite_moves_at_once_never_deadlock_and_keep_exact_tallies():
    import threading

    from django.db import connection as thread_connection
    from django.db import transaction

    event = EventFactory()
    first = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    second = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)
    barrier = threading.Barrier(2)
    errors = []

    def flip(registration, states):
        try:
            barrier.wait(timeout=20)
            for n in range(50):
                with transaction.atomic():
                    Registration.objects.filter(pk=registration.pk).update(status=states[n % 2])
        except Exception as error:  # a deadlock would surface here
            errors.append(error)
        finally:
            thread_connection.close()

    # One moves confirmed → waiting list while the other moves waiting list → confirmed.
    threads = [
        threading.Thread(target=flip, args=(first, ["waitlisted", "confirmed"])),
        threading.Thread(target=flip, args=(second, ["confirmed", "waitlisted"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert tallied(event) == live(event)
