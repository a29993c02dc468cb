"""Demo accounts (local use only; the README states their credentials)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from terreau.core.demo import (
    DEMO_MEMBER_EMAIL,
    DEMO_MODERATOR_EMAIL,
    DEMO_PASSWORD,
    DEMO_STAFF_EMAIL,
)


def load(stdout=None) -> None:
    User = get_user_model()
    accounts = [
        (DEMO_STAFF_EMAIL, "Camille", "Administratrice", {"is_staff": True, "is_superuser": True}),
        (DEMO_MODERATOR_EMAIL, "Malik", "Modérateur", {"is_moderator": True}),
        (DEMO_MEMBER_EMAIL, "Nadia", "Membre", {}),
    ]
    for email, first_name, last_name, flags in accounts:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name, **flags}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
