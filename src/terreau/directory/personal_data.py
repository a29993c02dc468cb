"""The directory's personal data: a person's entry (public profile or contact) and memberships."""

from terreau.privacy import purposes
from terreau.privacy.registry import FORMER_MEMBER

from .models import Membership, Person

PURPOSES = purposes.DIRECTORY


def export(user) -> dict:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return {}
    return {
        "person": [
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "title": person.title,
                "email": person.email,
                "phone": person.phone,
                "bio": person.bio,
                "is_listed": person.is_listed,
                "contact_consent": person.contact_consent,
                "memberships": list(
                    Membership.objects.filter(person=person).values(
                        "organisation__name", "role", "start_date", "end_date"
                    )
                ),
            }
        ]
    }


def remove_person(person: Person) -> None:
    """Delete an entry, or anonymise it where an event's programme still names it."""
    if person.speaking.exists():
        Membership.objects.filter(person=person).delete()
        Person.objects.filter(pk=person.pk).update(
            first_name=FORMER_MEMBER,
            last_name="",
            title="",
            bio="",
            email="",
            phone="",
            commune=None,
            is_listed=False,
            contact_consent=False,
            user=None,
            search_text=FORMER_MEMBER,
        )
        person.themes.clear()
        return
    person.delete()


def erase(user, *, remove_content: bool) -> None:
    for person in Person.objects.filter(user=user):
        remove_person(person)
