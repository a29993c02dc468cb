"""Journey: on the day, a member of staff checks a participant in from a phone."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from terreau.events.models import AttendanceRecord
from tests.events.factories import EventDayFactory, EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def staff_phone_context(browser, live_server, staff, **options):
    """A phone-sized browser context of `browser`, signed in as `staff`."""
    client = Client()
    client.force_login(staff)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, viewport=PHONE, is_mobile=True, **options
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


@pytest.fixture
def phone(browser, live_server, settings, staff):
    """A phone-sized page, signed in as staff."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["*"]
    context = staff_phone_context(browser, live_server, staff, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def settled(page) -> None:
    """Wait until htmx has wired the rows it swapped in (it does so after its settle delay; a
    key pressed before that would submit the plain form, which works too but reloads)."""
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")


def test_staff_search_a_participant_tap_present_and_see_the_count_change(phone):
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(
        title="Rencontres nationales des professionnels de la démocratie participative",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
    )
    EventDayFactory(
        event=event,
        date=timezone.localdate(),
        starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59),
    )
    RegistrationFactory(
        event=event, first_name="Sophie", last_name="Mollet", employer="Ville de Lille"
    )
    RegistrationFactory(event=event, first_name="Harold", last_name="George")
    RegistrationFactory(event=event, first_name="Fanny", last_name="Meilhac")

    phone.goto(f"/evenements/{event.slug}/accueil/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Accueil")
    counts = phone.locator("#checkin-counts")
    expect(counts).to_contain_text("0 / 3")

    phone.get_by_label("Chercher un nom, une structure ou un e-mail").press_sequentially("moll")
    rows = phone.locator(".checkin-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MOLLET Sophie")
    expect(rows.first).to_contain_text("Ville de Lille")

    rows.first.get_by_role("button", name="Marquer présent·e — Sophie Mollet").tap()
    expect(counts).to_contain_text("1 / 3")
    expect(rows.first).to_have_class("checkin-row is-present")
    assert AttendanceRecord.objects.filter(registration__last_name="Mollet").count() == 1

    # A wrong tap is taken back with one more tap.
    rows.first.get_by_role("button", name="Annuler l’arrivée — Sophie Mollet").tap()
    expect(counts).to_contain_text("0 / 3")
    assert not AttendanceRecord.objects.exists()

    # From the keyboard: Enter on the button marks present, and the focus stays on the row's
    # button (now "Annuler l’arrivée") so the next key press can take it back.
    button = rows.first.get_by_role("button", name="Marquer présent·e — Sophie Mollet")
    settled(phone)
    button.focus()
    phone.keyboard.press("Enter")
    expect(counts).to_contain_text("1 / 3")
    undo = rows.first.get_by_role("button", name="Annuler l’arrivée — Sophie Mollet")
    expect(undo).to_be_focused()

    # Nothing overflows the phone's width.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def _first_badge(pdf: bytes):
    """The first badge of the printed sheet, as an image (top left: 90 × 64 mm past the page's
    12 mm and 10 mm margins)."""
    import pypdfium2

    scale = 4
    px = scale * 72 / 25.4  # pixels a millimetre
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=scale).to_pil()
    return page.crop((int(12 * px), int(10 * px), int(102 * px), int(74 * px)))


def _y4m_of_image(image, path) -> None:
    """A short Y4M video of one image, which Chromium's fake camera plays in a loop."""
    from PIL import Image

    side = 480
    frame = Image.new("L", (640, side), 255)
    image = image.convert("L")
    image.thumbnail((620, 460))
    frame.paste(image, ((640 - image.width) // 2, (side - image.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (640 * side // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W640 H{side} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def test_staff_scan_a_badge_with_the_phone_camera_and_its_wearer_is_checked_in(
    browser, live_server, settings, staff, tmp_path
):
    from tests.conftest import CHROMIUM_ARGS

    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    starts = timezone.now() - dt.timedelta(hours=1)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    EventDayFactory(
        event=event, date=timezone.localdate(), starts_at=dt.time(0, 0), ends_at=dt.time(23, 59)
    )
    # Badges go by last name: Claire Aubry's is the first of the sheet.
    claire = RegistrationFactory(event=event, first_name="Claire", last_name="Aubry")
    RegistrationFactory(event=event, first_name="Harold", last_name="George")
    client = Client()
    client.force_login(staff)
    badges = client.get(reverse("events:badges_pdf", args=[event.slug]))
    assert badges["Content-Type"] == "application/pdf"
    video = tmp_path / "camera.y4m"
    _y4m_of_image(_first_badge(badges.content), video)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A browser of its own, whose fake camera films the printed badge.
    camera = browser.browser_type.launch(executable_path="/usr/bin/chromium", args=args)
    try:
        context = staff_phone_context(camera, live_server, staff)
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"/evenements/{event.slug}/accueil/")
        expect(page.locator("#checkin-counts")).to_contain_text("0 / 2")
        page.get_by_text("Scanner un badge ou un e-mail de confirmation").click()
        page.get_by_role("button", name="Scanner avec l'appareil photo").click()
        expect(page.locator("#checkin-scan-result")).to_have_text("Claire Aubry est arrivé·e.")
        expect(page.locator("#checkin-counts")).to_contain_text("1 / 2")
    finally:
        camera.close()
    assert AttendanceRecord.objects.get().registration == claire
