"""Pages and actions of the exchange groups × roles (anonymous, non-member, member,
facilitator, staff), bad input through the forms, and constant query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from terreau.groups import services
from terreau.groups.models import MeetingAttendance, Minutes
from tests.factories import UserFactory
from tests.groups.factories import ExchangeGroupFactory, meeting, member

pytestmark = pytest.mark.django_db


def _client_for(client, world, role):
    if role == "anonymous":
        return client
    user = {
        "outsider": lambda: UserFactory(),
        "member": lambda: world.members[0].user,
        "facilitator": lambda: world.facilitator.user,
        "staff": lambda: UserFactory(is_staff=True),
    }[role]()
    client.force_login(user)
    return client


ROLES = ["anonymous", "outsider", "member", "facilitator", "staff"]


def _pages(world):
    slug, past, future = world.group.slug, world.past.pk, world.future.pk
    return {
        "list": (
            reverse("groups:list"),
            {"anonymous", "outsider", "member", "facilitator", "staff"},
        ),
        "detail": (reverse("groups:detail", args=[slug]), set(ROLES)),
        "space": (reverse("groups:space", args=[slug]), {"member", "facilitator", "staff"}),
        "meeting": (
            reverse("groups:meeting", args=[slug, past]),
            {"member", "facilitator", "staff"},
        ),
        "meeting_edit": (
            reverse("groups:meeting_edit", args=[slug, future]),
            {"facilitator", "staff"},
        ),
        "meeting_add": (reverse("groups:meeting_add", args=[slug]), {"facilitator", "staff"}),
        "calendar": (reverse("groups:calendar", args=[slug]), {"facilitator", "staff"}),
        "member_add": (reverse("groups:member_add", args=[slug]), {"staff"}),
        "members_from_call": (reverse("groups:members_from_call", args=[slug]), {"staff"}),
        "from_call": (reverse("groups:from_call"), {"staff"}),
        "add": (reverse("groups:add"), {"staff"}),
        "edit": (reverse("groups:edit", args=[slug]), {"facilitator", "staff"}),
        "minutes_edit": (
            reverse("groups:minutes_edit", args=[slug, past]),
            {"facilitator", "staff"},
        ),
        "production_add": (
            reverse("groups:production_add", args=[slug]),
            {"member", "facilitator", "staff"},
        ),
        "citizens": (reverse("groups:citizens_meeting_add", args=[slug]), {"facilitator", "staff"}),
        "overview": (reverse("groups:overview"), {"staff"}),
        "overview_csv": (reverse("groups:overview_csv"), {"staff"}),
        "charter": (reverse("groups:charter", args=[slug]), {"member", "facilitator"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_its_rules_say(client, world, role):
    client = _client_for(client, world, role)
    for name, (url, allowed) in _pages(world).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (name, role, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302 and "/comptes/" in response["Location"], name
        else:
            assert response.status_code == 403, (name, role, response.status_code)


def test_a_non_member_never_sees_contacts_or_minutes(client, world):
    by = world.facilitator.user
    minutes = services.minutes_save(meeting=world.past, body="Secret du groupe", by=by)
    services.minutes_publish(minutes=minutes, by=by)
    world.members[0].person.phone = "06 99 88 77 66"
    world.members[0].person.save()
    url = reverse("groups:minutes", args=[world.group.slug, world.past.pk])
    for role in ("anonymous", "outsider"):
        client.logout()
        client = _client_for(client, world, role)
        assert client.get(url).status_code in (302, 403)
        page = client.get(reverse("groups:detail", args=[world.group.slug])).content.decode()
        assert "Secret du groupe" not in page
        assert world.members[0].person.email not in page
        assert "06 99 88 77 66" not in page
    client.force_login(world.members[1].user)
    space = client.get(reverse("groups:space", args=[world.group.slug])).content.decode()
    assert world.members[0].person.email in space and "06 99 88 77 66" in space
    assert "Secret du groupe" in client.get(url).content.decode()


def test_public_minutes_are_readable_by_anyone(client, world):
    by = world.facilitator.user
    minutes = services.minutes_save(meeting=world.past, body="Ce que nous publions", by=by)
    services.minutes_publish(minutes=minutes, by=by, is_public=True)
    url = reverse("groups:minutes", args=[world.group.slug, world.past.pk])
    assert "Ce que nous publions" in client.get(url).content.decode()
    assert url in client.get(reverse("groups:detail", args=[world.group.slug])).content.decode()


def test_draft_minutes_are_hidden_from_members(client, world):
    services.minutes_save(meeting=world.past, body="Brouillon", by=world.facilitator.user)
    client.force_login(world.members[0].user)
    url = reverse("groups:minutes", args=[world.group.slug, world.past.pk])
    assert client.get(url).status_code == 404


def test_a_member_without_the_charter_is_sent_to_it_then_enters(client, world):
    newcomer = member(world.group, charter=False)
    client.force_login(newcomer.user)
    space = reverse("groups:space", args=[world.group.slug])
    charter = reverse("groups:charter", args=[world.group.slug])
    assert client.get(space)["Location"] == charter
    response = client.post(charter, {})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.charter_accepted_at is None
    assert client.post(charter, {"accepted": "on"})["Location"] == space
    assert client.get(space).status_code == 200


def test_member_actions_by_role(client, world, mailoutbox):
    slug = world.group.slug
    excuse = reverse("groups:excuse", args=[slug, world.future.pk])
    client.force_login(world.outsider.user)
    assert client.post(excuse, {"reason": "x"}).status_code == 403
    client.force_login(world.facilitator.user)
    assert client.post(excuse, {"reason": "x"}).status_code == 403  # facilitators lead
    client.force_login(world.members[0].user)
    assert client.post(excuse, {"reason": "Malade"}).status_code == 302
    assert world.future.excuses.get().reason == "Malade"
    # Someone else's group meeting, through this group's URL: not found.
    other = reverse("groups:excuse", args=[slug, world.other_meeting.pk])
    assert client.post(other, {"reason": "x"}).status_code == 404


def test_facilitator_actions_are_refused_to_members(client, world):
    slug, past = world.group.slug, world.past.pk
    posts = {
        reverse("groups:attendance", args=[slug, past]): {"action": "from_checkin"},
        reverse("groups:minutes_edit", args=[slug, past]): {"body": "Texte"},
        reverse("groups:meeting_add", args=[slug]): {"date": "2030-01-01"},
        reverse("groups:calendar", args=[slug]): {"first": "2030-01-01"},
        reverse("groups:member_add", args=[slug]): {"email": "a@b.org", "role": "member"},
        reverse("groups:meeting_cancel", args=[slug, world.future.pk]): {"reason": "x"},
        reverse("groups:members_from_call", args=[slug]): {"source": "call:1", "confirm": "1"},
        reverse("groups:from_call"): {"source": "call:1", "confirm": "1"},
        reverse("groups:edit", args=[slug]): {"name": "Pris", "shows_members": ""},
        reverse("groups:add"): {"name": "Nouveau", "starts_on": "2030-01-01"},
    }
    client.force_login(world.members[0].user)
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert not Minutes.objects.exists() and not MeetingAttendance.objects.exists()


def test_the_facilitator_writes_previews_and_publishes_minutes(client, world, mailoutbox):
    client.force_login(world.facilitator.user)
    slug, past = world.group.slug, world.past.pk
    edit = reverse("groups:minutes_edit", args=[slug, past])
    preview = client.post(edit, {"body": "**Gras**", "preview": "1"})
    assert "<strong>Gras</strong>" in preview.content.decode()
    assert not Minutes.objects.exists()
    client.post(edit, {"body": "**Gras**", "experiences": "Atelier X\n"})
    minutes = Minutes.objects.get()
    assert minutes.initiatives.get().title == "Atelier X"
    client.post(reverse("groups:minutes_publish", args=[slug, past]), {})
    minutes.refresh_from_db()
    assert minutes.is_published and not minutes.is_public
    assert len(mailoutbox) == 4
    revisions = client.get(reverse("groups:minutes_revisions", args=[slug, past]))
    assert revisions.status_code == 200 and "<ins>" in revisions.content.decode()


def test_manual_attendance_through_the_page(client, world):
    client.force_login(world.facilitator.user)
    url = reverse("groups:attendance", args=[world.group.slug, world.past.pk])
    first, second, _third = world.members
    client.post(url, {f"m{first.pk}": "present", f"m{second.pk}": "excused"})
    statuses = dict(MeetingAttendance.objects.values_list("membership", "status"))
    assert statuses == {first.pk: "present", second.pk: "excused"}
    client.post(url, {f"m{first.pk}": "nonsense"})
    assert MeetingAttendance.objects.get(membership=first).status == "present"


def test_bad_input_through_the_forms_gets_a_message_not_a_500(client, world):
    client.force_login(UserFactory(is_staff=True))
    slug = world.group.slug
    add = reverse("groups:member_add", args=[slug])
    response = client.post(add, {"email": world.members[0].person.email, "role": "member"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(add, {"email": "nobody@nowhere.org", "role": "member"})
    assert response.status_code == 200
    outside = (world.group.ends_on + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("groups:meeting_add", args=[slug]),
        {"date": outside, "starts_at": "09:30", "ends_at": "16:30"},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    for bad in ("\x00", "9" * 30, "-1"):
        assert client.get(reverse("groups:meeting", args=[slug, 1]) + f"?x={bad}").status_code in (
            200,
            404,
        )
        response = client.post(
            reverse("groups:minutes_edit", args=[slug, world.past.pk]), {"body": bad + "texte"}
        )
        assert response.status_code in (200, 302)
    assert client.get(f"/groupes/{slug}/rencontres/99999999999999999999/").status_code == 404


def test_the_overview_csv_has_a_row_per_group(client, world):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("groups:overview_csv"))
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 3
    assert world.group.name in "".join(lines)


# --- constant queries --------------------------------------------------------------------


def _populate(group, count):
    for _ in range(count):
        member(group)
    for days in range(count):
        m = meeting(group, days_from_now=-20 + days)
        minutes = services.minutes_save(
            meeting=m, body="Texte", by=UserFactory(is_staff=True), new_experiences=["E"]
        )
        services.minutes_publish(minutes=minutes, by=UserFactory(is_staff=True), is_public=True)
        services.attendance_from_checkin(meeting=m)
    services.citizens_meeting_create(group=group, title="RC", date=timezone.localdate())


def _queries(client, django_assert_num_queries, url, user):
    client.force_login(user)
    client.get(url)  # warm caches (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["detail", "space", "overview", "list", "meeting"])
def test_pages_run_the_same_number_of_queries_for_1_and_3_items(client, page):
    counts = []
    for size in (1, 3):
        group = ExchangeGroupFactory()
        facilitator = member(group, role="facilitator")
        _populate(group, size)
        for _ in range(size - 1):
            ExchangeGroupFactory()
        user = UserFactory(is_staff=True) if page in ("overview",) else facilitator.user
        first_meeting = group.meetings.order_by("number").first()
        url = {
            "detail": reverse("groups:detail", args=[group.slug]),
            "space": reverse("groups:space", args=[group.slug]),
            "overview": reverse("groups:overview"),
            "list": reverse("groups:list"),
            "meeting": reverse("groups:meeting", args=[group.slug, first_meeting.pk]),
        }[page]
        counts.append(_queries(client, None, url, user))
        client.logout()
    assert counts[0] == counts[1], counts


def _png(name="plan.png"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_minutes_files_are_for_those_who_may_read_the_minutes(client, world):
    by = world.facilitator.user
    minutes = services.minutes_save(meeting=world.past, body="Texte", by=by)
    client.force_login(by)
    upload = reverse("groups:minutes_attachment", args=[world.group.slug, world.past.pk])
    client.post(upload, {"title": "Plan de la salle", "file": _png()})
    attachment = minutes.attachments.get()
    refused = SimpleUploadedFile("faux.pdf", b"not a pdf at all", content_type="application/pdf")
    client.post(upload, {"title": "Faux", "file": refused})
    assert minutes.attachments.count() == 1
    url = reverse("groups:attachment", args=[world.group.slug, attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.members[0].user)
    assert client.get(url).status_code == 404  # not shared yet
    services.minutes_publish(minutes=minutes, by=by)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"\x89PNG"
    client.force_login(world.outsider.user)
    assert client.get(url).status_code == 403
    other = reverse("groups:attachment", args=[world.other.slug, attachment.pk])
    assert client.get(other).status_code == 404


def _group_data(group, **changes):
    return {
        "name": group.name,
        "zone": group.zone_id,
        "starts_on": group.starts_on.isoformat(),
        "ends_on": group.ends_on.isoformat(),
        "description": "Un groupe qui échange.",
        "themes_planned": "Mobiliser\nÉvaluer",
        "charter": group.charter,
        "shows_calendar": "on",
    } | changes


def test_the_facilitator_chooses_what_the_public_page_shows(client, world):
    client.force_login(world.facilitator.user)
    url = reverse("groups:edit", args=[world.group.slug])
    assert client.post(url, _group_data(world.group)).status_code == 302
    world.group.refresh_from_db()
    assert not world.group.shows_members and world.group.themes_planned_list == [
        "Mobiliser",
        "Évaluer",
    ]
    client.logout()
    page = client.get(reverse("groups:detail", args=[world.group.slug])).content.decode()
    assert world.members[0].person.last_name not in page and "Évaluer" in page
    # A period that would leave a meeting outside it is refused, nothing saved.
    client.force_login(world.facilitator.user)
    late = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, _group_data(world.group, starts_on=late, name="Autre"))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    world.group.refresh_from_db()
    assert world.group.name != "Autre"


def test_staff_create_a_group(client, world):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("groups:add")
    bad = client.post(url, {"name": "Sud", "starts_on": "2031-05-01", "ends_on": "2030-04-30"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    response = client.post(
        url,
        {"name": "Groupe Sud", "starts_on": "2030-05-17", "ends_on": "2031-04-30"},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_superuser_who_is_no_member_neither_excuses_nor_accepts_a_charter(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    slug = world.group.slug
    excuse = reverse("groups:excuse", args=[slug, world.future.pk])
    page = client.get(reverse("groups:meeting", args=[slug, world.future.pk])).content.decode()
    assert excuse not in page
    assert client.post(excuse, {"reason": "x"}).status_code == 403
    assert (
        client.post(reverse("groups:charter", args=[slug]), {"accepted": "on"}).status_code == 403
    )
    assert not world.future.excuses.exists()


# --- the overview's cache ---------------------------------------------------------------------


def test_the_overview_rows_change_by_themselves_when_a_meeting_starts_or_ends(world):
    from terreau.events.models import Event
    from terreau.groups import selectors

    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    starts = noon + dt.timedelta(hours=1)
    Event.objects.filter(pk=world.future.event_id).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=7)
    )
    rows, changes_at = selectors.groups_overview_uncached(now=noon)
    assert changes_at == starts
    row = next(r for r in rows if r["name"] == world.group.name)
    assert (row["held"], row["planned"], row["member_count"]) == (1, 1, 3)
    rows, changes_at = selectors.groups_overview_uncached(now=starts + dt.timedelta(minutes=1))
    assert changes_at == starts + dt.timedelta(hours=7)  # its end: minutes then go missing
    row = next(r for r in rows if r["name"] == world.group.name)
    assert (row["held"], row["planned"]) == (2, 0)
    # Nothing to come: midnight (members count by their leaving date).
    _rows, changes_at = selectors.groups_overview_uncached(now=starts + dt.timedelta(hours=8))
    assert changes_at == timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time.min)
    )


def test_the_overview_rows_are_cached_until_a_change_or_the_next_meeting(
    world, django_assert_num_queries
):
    from terreau.events.models import Event
    from terreau.groups import selectors

    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    starts = noon + dt.timedelta(hours=1)
    Event.objects.filter(pk=world.future.event_id).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=7)
    )

    def row(now):
        return next(r for r in selectors.groups_overview(now=now) if r["name"] == world.group.name)

    assert row(noon)["planned"] == 1
    with django_assert_num_queries(1):  # the content version
        assert row(noon)["planned"] == 1
    assert row(starts)["planned"] == 0  # the meeting started: computed again
    member(world.group)  # a change moves the site's content version
    assert row(starts)["member_count"] == 4


def test_the_overview_page_shows_a_change_at_once(client, world):
    client.force_login(UserFactory(is_staff=True))
    url = reverse("groups:overview")
    assert "Groupe renommé pour le suivi" not in client.get(url).text
    renamed = "Groupe renommé pour le suivi"
    services.group_update(group=world.group, fields={"name": renamed})
    assert renamed in client.get(url).text
