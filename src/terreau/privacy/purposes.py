"""The processing purposes each app declares (`personal_data.PURPOSES`), written here so that
one catalogue (the privacy app's) translates the whole register."""

from django.utils.translation import gettext_lazy as _

from .registry import Purpose

LIBRARY = [
    Purpose(
        name=_("Newsletter"),
        data=_("e-mail address, chosen themes and kinds, delivery log, bounces"),
        basis=_("consent (double opt-in), withdrawn in one click"),
        retention=_(
            "unconfirmed requests 30 days; the delivery log 2 years; an ended subscription 3 "
            "years (so that a bounce or a complaint is not written to again)"
        ),
    ),
    Purpose(
        name=_("Co-development"),
        data=_("needs and offers of help, with the name shown"),
        basis=_("legitimate interest of the network (mutual help between members)"),
        retention=_("as long as the account; re-attributed or removed when it is deleted"),
    ),
]

DIRECTORY = [
    Purpose(
        name=_("Directory of the network"),
        data=_("name, function, organisations, territory, biography, e-mail and phone"),
        basis=_("consent for the public listing and for contact; legitimate interest otherwise"),
        retention=_("until the person asks for removal or deletes their account"),
    ),
]

EVENTS = [
    Purpose(
        name=_("Registrations to events"),
        data=_(
            "name, e-mail, phone, employer, function, answers, dietary and accessibility needs, "
            "attendance, payment"
        ),
        basis=_("performance of the registration; legal obligation for invoices"),
        retention=_(
            "3 years after the event, then anonymised (counts by category and attendance are "
            "kept for statistics)"
        ),
    ),
]

OBSERVATORY = [
    Purpose(
        name=_("Contributions to the observatory"),
        data=_("proposed initiatives, comments and revisions, with their author"),
        basis=_("legitimate interest (the history of a published record)"),
        retention=_("as long as the account; re-attributed or removed when it is deleted"),
    ),
]

ACCOUNTS = [
    Purpose(
        name=_("Member accounts"),
        data=_("e-mail, name, password (hashed), role, sign-in attempts"),
        basis=_("performance of the service the member signed up for"),
        retention=_("until the member deletes the account; failed sign-ins 30 days"),
    ),
]
