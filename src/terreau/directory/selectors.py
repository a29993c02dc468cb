"""Reads of the directory: the public lists, the detail pages and the home-page figures."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from terreau.core.models import Theme
from terreau.core.search import search_words

from .models import Membership, Organisation, Person

# Current memberships (no end date) first, then the most recently ended; same on both databases.
CURRENT_FIRST = F("end_date").desc(nulls_first=True)
LATEST_FIRST = F("start_date").desc(nulls_last=True)


def _can_see_everything(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def visible_organisation_q(*, user=None, prefix: str = "") -> Q:
    """The condition on organisations (through `prefix`) that the user may see."""
    if _can_see_everything(user):
        return Q()
    return Q(**{f"{prefix}is_published": True})


def visible_person_q(*, user=None, prefix: str = "") -> Q:
    """The condition on people (through `prefix`) that the user may see."""
    if _can_see_everything(user):
        return Q()
    condition = Q(**{f"{prefix}is_listed": True})
    if user is not None and user.is_authenticated:
        condition |= Q(**{f"{prefix}user": user})
    return condition


def organisation_visible(*, user=None) -> QuerySet[Organisation]:
    """Organisations the user may see: published ones, and all of them for staff."""
    return Organisation.objects.filter(visible_organisation_q(user=user))


def person_visible(*, user=None) -> QuerySet[Person]:
    """People the user may see: listed ones, their own profile, and everyone for staff."""
    return Person.objects.filter(visible_person_q(user=user))


def filter_by_words(queryset: QuerySet, query: str | None) -> QuerySet:
    """Keep rows whose normalised `search_text` holds every word of the query (accents and
    case ignored, the same on SQLite and PostgreSQL)."""
    for word in search_words(query):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def filter_by_theme(queryset: QuerySet, theme: Theme | None) -> QuerySet:
    """Keep rows tagged with the theme or one of its sub-themes (no duplicate rows)."""
    if theme is None:
        return queryset
    through = queryset.model.themes.through
    owner = f"{queryset.model._meta.model_name}_id"
    return queryset.filter(
        Exists(
            through.objects.filter(**{owner: OuterRef("pk")}).filter(
                Q(theme_id=theme.pk) | Q(theme__parent_id=theme.pk)
            )
        )
    )


def organisation_list(*, user=None, query: str = "", kind: str = "", department=None, theme=None):
    """Organisations for the public list, with what a result card shows, in constant queries."""
    queryset = organisation_visible(user=user)
    queryset = filter_by_words(queryset, query)
    if kind:
        queryset = queryset.filter(kind=kind)
    if department is not None:
        queryset = queryset.filter(commune__department=department)
    queryset = filter_by_theme(queryset, theme)
    return (
        queryset.select_related("commune__department")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
        .order_by("name", "pk")
    )


def person_list(
    *,
    user=None,
    query: str = "",
    actor_category: str = "",
    department=None,
    theme=None,
    organisation=None,
):
    """People for the public list with their current organisations, in constant queries."""
    queryset = person_visible(user=user)
    queryset = filter_by_words(queryset, query)
    if actor_category:
        queryset = queryset.filter(actor_category=actor_category)
    if department is not None:
        queryset = queryset.filter(commune__department=department)
    if organisation is not None:
        queryset = queryset.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), organisation=organisation))
        )
    queryset = filter_by_theme(queryset, theme)
    memberships = (
        Membership.objects.filter(visible_organisation_q(user=user, prefix="organisation__"))
        .select_related("organisation")
        .order_by(CURRENT_FIRST, LATEST_FIRST, "organisation__name")
    )
    return (
        queryset.select_related("commune__department")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
        )
        .order_by("last_name", "first_name", "pk")
    )


def organisation_detail(*, slug: str, user=None) -> Organisation:
    """One organisation with its commune, themes, parent, visible children and the memberships
    of the people the user may see. Raises Organisation.DoesNotExist."""
    memberships = (
        Membership.objects.filter(visible_person_q(user=user, prefix="person__"))
        .select_related("person")
        .order_by(CURRENT_FIRST, "person__last_name", "person__first_name")
    )
    return (
        organisation_visible(user=user)
        .select_related("commune__department", "parent")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch(
                "children",
                queryset=organisation_visible(user=user).select_related("commune"),
                to_attr="visible_children",
            ),
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"),
        )
        .get(slug=slug)
    )


def person_detail(*, slug: str, user=None) -> Person:
    """One person the user may see, with memberships in visible organisations.
    Raises Person.DoesNotExist for people the user may not see."""
    memberships = (
        Membership.objects.filter(visible_organisation_q(user=user, prefix="organisation__"))
        .select_related("organisation__commune")
        .order_by(CURRENT_FIRST, LATEST_FIRST, "organisation__name")
    )
    return (
        person_visible(user=user)
        .select_related("commune__department", "user")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"),
        )
        .get(slug=slug)
    )


def person_for_user(*, user) -> Person | None:
    """The directory profile linked to an account, if any."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).prefetch_related("themes").first()


def organisation_suggestions(*, query: str, user=None, limit: int = 15):
    """A few organisations whose name matches the query, for an autocomplete list."""
    if not search_words(query):
        return Organisation.objects.none()
    return filter_by_words(organisation_visible(user=user), query).select_related("commune")[:limit]


def organisation_latest(*, limit: int = 4) -> list[Organisation]:
    """The most recently added published organisations (home page)."""
    return list(
        Organisation.objects.filter(is_published=True).order_by("-created_at", "-pk")[:limit]
    )


def directory_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.filter(is_published=True).count(),
        "people": Person.objects.filter(is_listed=True).count(),
    }


def person_for_email(email: str, *, user=None) -> Person | None:
    """The directory person behind an e-mail address (a registration, a walk-in): the signed-in
    user's own person first, else the person whose e-mail (case aside) or whose account's e-mail
    (accounts store it in lower case) it is. Read from two indexes, never a scan."""
    if user is not None and user.is_authenticated:
        person = Person.objects.filter(user=user).first()
        if person:
            return person
    email = (email or "").strip().lower()
    if not email:
        return None
    account = get_user_model().objects.filter(email=email).values("pk")[:1]
    return (
        Person.objects.alias(email_lower=Lower("email"))
        .filter(Q(email_lower=email) | Q(user_id=Subquery(account)))
        .order_by("pk")
        .first()
    )
