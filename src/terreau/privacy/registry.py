"""Personal data, app by app: each app's `personal_data.py` declares what it keeps about people
and gives the person's part of it, erases it, and purges what is past its retention.

    PURPOSES = [Purpose(name=_("Newsletter"), data=_("e-mail, preferences"),
                        basis=_("consent"), retention=_("until unsubscribing"))]
    def export(user) -> dict[str, list[dict]]            # the person's rows, by section
    def erase(user, *, remove_content: bool) -> None     # before the account is deleted
    def purge(now) -> int                                # rows removed or anonymised

Core's `app_modules` finds them, so calls, groups and worksites add theirs with their data.
"""

from dataclasses import dataclass

from terreau.core.app_modules import app_modules

FORMER_MEMBER = "ancien membre"


@dataclass(frozen=True)
class Purpose:
    name: str
    data: str
    basis: str
    retention: str


def modules():
    return app_modules("personal_data")


def purposes() -> list[tuple[str, Purpose]]:
    return [
        (module.__name__.split(".")[1], purpose)
        for module in modules()
        for purpose in getattr(module, "PURPOSES", ())
    ]
