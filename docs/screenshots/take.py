"""Screenshots of the README's tour, from a running demo site (make run PORT=8210, then
`.venv/bin/python docs/screenshots/take.py http://127.0.0.1:8210`): home, an initiative, a
programme, the registration form with its errors and the phone check-in, in French and English,
at 360 and 1280 px, written beside this file. Staff pages use the demo staff account's session."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from terreau.core.demo import DEMO_STAFF_EMAIL  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = "rencontres-nationales-edition-de-demonstration"
LILLE = "rencontres-nationales-democratie-participative-lille-2014"
INITIATIVE = "comment-developper-le-pouvoir-dagir-les-centres-sociaux-du-valenciennois"
PAGES = [
    ("home", "/", False),
    ("initiative", f"/observatoire/initiatives/{INITIATIVE}/", False),
    ("programme", f"/evenements/{DEMO}/programme/", False),
    ("registration-errors", f"/evenements/{DEMO}/inscription/", False),
    ("checkin", f"/evenements/{LILLE}/accueil/", True),
]


def staff_session() -> str:
    user = get_user_model().objects.get(email=DEMO_STAFF_EMAIL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main(base: str) -> None:
    session_key = staff_session()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for language in ("fr", "en"):
            for width in (360, 1280):
                for name, path, staff in PAGES:
                    context = browser.new_context(
                        viewport={"width": width, "height": 780 if width < 600 else 900},
                        locale=language,
                    )
                    cookies = [{"name": "django_language", "value": language, "url": base}]
                    if staff:
                        cookies.append({"name": "sessionid", "value": session_key, "url": base})
                    context.add_cookies(cookies)
                    page = context.new_page()
                    page.goto(base + path)
                    if name == "registration-errors":
                        page.locator("form.registration-form button[type=submit]").click()
                        page.wait_for_load_state()
                    page.wait_for_timeout(300)
                    page.screenshot(path=HERE / f"{name}-{language}-{width}.png")
                    context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
