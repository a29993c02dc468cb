"""The account itself: e-mail, names, role, verified addresses."""

from allauth.account.models import EmailAddress

from terreau.privacy import purposes

PURPOSES = purposes.ACCOUNTS


def export(user) -> dict:
    return {
        "account": [
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "addresses": list(
                    EmailAddress.objects.filter(user=user).values("email", "verified")
                ),
            }
        ]
    }


def erase(user, *, remove_content: bool) -> None:
    from axes.models import AccessAttempt, AccessLog

    if user.email:
        AccessAttempt.objects.filter(username__iexact=user.email).delete()
        AccessLog.objects.filter(username__iexact=user.email).delete()


def purge(now) -> int:
    import datetime as dt

    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__lt=now - dt.timedelta(days=30)).delete()[0]
