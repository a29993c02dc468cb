"""Crawl the demo site as every role, in French and in English: no server error, accessible
HTML on every page (one h1, a main landmark, labelled fields, images with alt, unique ids),
English pages free of French chrome, and every GET form (filters, searches) hardened against
hostile input."""

import datetime as dt
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("crawl")]

ROLES = ["anonymous", "member", "moderator", "staff"]
LANGUAGES = ["fr", "en"]
MAX_PAGES = 400
# Detail routes repeat the same template: a few of each are enough to cover every template.
MAX_PER_ROUTE = 2
# In English, one page of each route shows whether its template is translated.
MAX_PER_ROUTE_IN_ENGLISH = 1
SKIPPED_PREFIXES = ("/i18n/", "/langue/", "/static/", "/media/")
SKIPPED_ROUTES = {"account_logout"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UI_TEXT_TAGS = {"label", "button", "th", "legend", "summary", "caption"}
LABELLABLE = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
SCRIPT = "<script>alert(1)</script>"
# What a template shows when it renders a Python object instead of its value.
PYTHON_LEAK = re.compile(r"<bound method|object at 0x[0-9a-f]+|\('\w+', |\{'\w+': |<QuerySet")
HOSTILE_VALUES = [
    f"'\"{SCRIPT} %00 \x00 🌱 « débat » 🗳️ unknown-choice",
    "x" * 10_000,
    "-1",
    "99999999999999999999",
]
HOSTILE_PAGES = ["-1", "0", "99999999999999999999", SCRIPT]
TEXT_INPUTS = {"text", "search", "date", "number", "email", "url", "tel"}


class PageParser(HTMLParser):
    """What the checks need from one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.h1 = []
        self.mains = []
        self.ids = Counter()
        self.label_for = set()
        self.controls = []  # (tag, attrs, inside a label)
        self.images = []
        self.links = []
        self.forms = []  # {"method", "action", "fields": [(name, type, [options])]}
        self.references = []  # (attribute, id) that must exist
        self.chrome_text = []  # text of the header, nav and footer
        self.text = []  # every text node
        self.ui_text = []  # text of labels, buttons, table headers, legends
        self.stack = []
        self.classes = []  # the class attribute of each element of the stack
        self.bare_tables = 0  # tables outside a horizontally scrolling box
        self._text_targets = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if tag not in VOID:
            self.stack.append(tag)
            self.classes.append(attrs.get("class", "").split())
        if tag == "table" and not any("table-scroll" in c for c in self.classes[:-1]):
            self.bare_tables += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        for attribute in ("aria-labelledby", "aria-describedby", "aria-controls"):
            for ref in attrs.get(attribute, "").split():
                self.references.append((attribute, ref))
        if tag == "h1":
            self.h1.append([])
            self._text_targets.append(("h1", len(self.stack)))
        elif tag in {"header", "footer", "nav"}:
            self._text_targets.append(("chrome", len(self.stack)))
        elif tag == "main":
            self.mains.append(attrs.get("id"))
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "fields": [],
            }
            self.forms.append(self._form)
        if tag in UI_TEXT_TAGS:
            self.ui_text.append([])
            self._text_targets.append(("ui", len(self.stack)))
        if tag in LABELLABLE:
            self.controls.append((tag, attrs, "label" in self.stack))
            if self._form is not None and attrs.get("name"):
                kind = attrs.get("type", "text").lower() if tag == "input" else tag
                entry = [attrs["name"], kind, [], attrs.get("value", "")]
                self._form["fields"].append(entry)
                if tag == "select":
                    self._select = entry
        if tag == "option" and self._select is not None:
            self._select[2].append(attrs.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None
        if tag in self.stack:
            while self.stack:
                depth = len(self.stack)
                if self._text_targets and self._text_targets[-1][1] == depth:
                    self._text_targets.pop()
                self.classes.pop()
                if self.stack.pop() == tag:
                    break

    def handle_data(self, data):
        if self.stack and self.stack[-1] not in {"script", "style"}:
            self.text.append(data)
        kinds = {kind for kind, _ in self._text_targets}
        if "h1" in kinds and self.h1:
            self.h1[-1].append(data)
        if "chrome" in kinds:
            self.chrome_text.append(data)
        if "ui" in kinds and self.ui_text:
            self.ui_text[-1].append(data)

    @property
    def h1_texts(self):
        return [" ".join("".join(parts).split()) for parts in self.h1]


def accessibility_problems(parser: PageParser) -> list[str]:
    problems = []
    if not parser.html_lang:
        problems.append("<html> has no lang")
    if len(parser.h1) != 1:
        problems.append(f"{len(parser.h1)} <h1> ({parser.h1_texts})")
    if parser.mains != ["contenu"]:
        problems.append(f"<main> landmarks: {parser.mains}")
    if leak := PYTHON_LEAK.search(" ".join(parser.text)):
        problems.append(f"Python object shown to people: {leak.group(0)!r}")
    if parser.bare_tables:
        problems.append(f"{parser.bare_tables} <table> not in a .table-scroll box (phones)")
    duplicates = sorted(identifier for identifier, n in parser.ids.items() if n > 1)
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    for tag, attrs, in_label in parser.controls:
        if tag == "input" and attrs.get("type", "text").lower() in UNLABELLED_INPUT_TYPES:
            continue
        if "hidden" in attrs:
            continue
        labelled = (
            in_label
            or attrs.get("aria-label", "").strip()
            or attrs.get("aria-labelledby", "").strip()
            or (attrs.get("id") and attrs["id"] in parser.label_for)
        )
        if not labelled:
            problems.append(f"unlabelled <{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}>")
    for image in parser.images:
        if "alt" not in image:
            problems.append(f"<img src={image.get('src')!r}> has no alt")
    for attribute, ref in parser.references:
        if ref not in parser.ids:
            problems.append(f"{attribute} points to a missing id {ref!r}")
    return problems


@dataclass
class Page:
    url: str
    route: str
    status: int
    html: bool
    h1: list[str] = field(default_factory=list)
    chrome: str = ""
    ui_text: list[str] = field(default_factory=list)


@dataclass
class CrawlResult:
    pages: dict[str, Page] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    get_forms: dict[tuple, dict] = field(default_factory=dict)


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def normalise(base: str, href: str) -> str | None:
    """The same-site path and query a link leads to, or None when it is not to be followed."""
    url = urlsplit(urljoin("http://testserver" + base, href.strip()))
    if url.scheme not in {"http", "https"} or url.netloc != "testserver":
        return None
    path = url.path
    if path.startswith(SKIPPED_PREFIXES):
        return None
    if path.startswith("/admin/") and path != "/admin/":
        return None
    query = parse_qsl(url.query, keep_blank_values=True)
    for name, value in query:
        if name == "page" and value not in {"1", "2", "last"}:
            return None
    return path + ("?" + urlencode(query) if query else "")


def crawl(client: Client, per_route_limit: int = MAX_PER_ROUTE) -> CrawlResult:
    """Breadth-first over same-site links from the home page."""
    result = CrawlResult()
    queue = deque(["/"])
    seen = {"/"}
    per_route = Counter()
    file_routes = set()  # routes that answered with a file: one download of each is enough
    while queue and len(result.pages) < MAX_PAGES:
        url = queue.popleft()
        route = route_of(urlsplit(url).path) or "?"
        if route in SKIPPED_ROUTES or route in file_routes:
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        is_html = content_type.startswith("text/html")
        page = Page(url=url, route=route, status=response.status_code, html=is_html)
        result.pages[url] = page
        if response.status_code >= 500:
            result.problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code == 404:
            result.problems.append(f"{url}: 404 (broken link)")
        if response.status_code in {301, 302, 303, 307, 308}:
            target = normalise(url, response["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.streaming:
            b"".join(response.streaming_content)
        if not is_html:
            file_routes.add(route)
            continue
        if url.startswith("/admin/"):
            continue  # Django's own admin: answered, not audited
        parser = PageParser()
        parser.feed(response.content.decode())
        page.h1 = parser.h1_texts
        page.chrome = " ".join(" ".join(parser.chrome_text).split())
        page.ui_text = [" ".join("".join(parts).split()) for parts in parser.ui_text]
        result.problems.extend(f"{url}: {problem}" for problem in accessibility_problems(parser))
        for form in parser.forms:
            if form["method"] == "get" and form["fields"]:
                action = urlsplit(urljoin(url, form["action"] or url)).path
                names = tuple(sorted(name for name, *_ in form["fields"]))
                result.get_forms.setdefault((action, names), form | {"action": action})
        for href in parser.links:
            target = normalise(url, href)
            if not target or target in seen:
                continue
            target_route = route_of(urlsplit(target).path) or "?"
            if per_route[target_route] >= per_route_limit:
                continue
            per_route[target_route] += 1
            seen.add(target)
            queue.append(target)
    return result


def client_for(role: str, language: str) -> Client:
    from django.contrib.auth import get_user_model

    from terreau.core import demo

    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    email = {
        "member": demo.DEMO_MEMBER_EMAIL,
        "moderator": demo.DEMO_MODERATOR_EMAIL,
        "staff": demo.DEMO_STAFF_EMAIL,
    }.get(role)
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


def add_upcoming_event():
    """Next year's Lille meetings, published and open for registration: the seeds' events are
    all past, and the crawl must also see an open registration form with its workshop rounds."""
    from terreau.events.models import Event
    from terreau.events.services.programme import event_duplicate, event_publish

    lille = Event.objects.get(slug="rencontres-nationales-democratie-participative-lille-2014")
    upcoming = event_duplicate(event=lille, starts_on=timezone.localdate() + dt.timedelta(days=90))
    Event.objects.filter(pk=upcoming.pk).update(
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
        registration_closes_at=upcoming.starts_at - dt.timedelta(days=2),
    )
    event_publish(event=upcoming)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module and rolled back at its end; yields the media
    folder of the files it built (the worksite's publication), for the tests to serve."""
    media = tmp_path_factory.mktemp("crawl-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
            MEDIA_ROOT=media,
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            add_upcoming_event()
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_crawls: dict[tuple[str, str], CrawlResult] = {}


def crawled(role: str, language: str) -> CrawlResult:
    if (role, language) not in _crawls:
        limit = MAX_PER_ROUTE if language == "fr" else MAX_PER_ROUTE_IN_ENGLISH
        _crawls[role, language] = crawl(client_for(role, language), limit)
    return _crawls[role, language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_answers_and_is_accessible(demo_data, role, language, settings):
    settings.MEDIA_ROOT = demo_data
    result = crawled(role, language)
    assert len(result.pages) > 20
    assert not result.problems, "\n".join(result.problems)


# Words that only show up in an English page when a UI string was left untranslated
# ("département" is the project's English term for the French administrative division).
FRENCH_UI_WORDS = re.compile(
    r"\b(Accueil|Annuaire|Observatoire|Événements|Évènements|Mentions légales|Confidentialité|"
    r"Accessibilité|Mon compte|Se connecter|Connexion|Déconnexion|Se déconnecter|S'inscrire|"
    r"Inscription|Changer|Aller au contenu|Page précédente|Page suivante|Rechercher|Recherche|"
    r"Filtrer|Réinitialiser|Enregistrer|Envoyer|Valider|Annuler|Supprimer|Modifier|Ajouter|"
    r"Télécharger|Suivant|Précédent|Thèmes?|Année|Étape|Tous|Toutes|Aucune?|Oui|Non|Nom|Prénom|"
    r"Adresse|Courriel|Mot de passe|Date de début|Date de fin|Inscrits?|Trier par|"
    r"Résultats?)\b"
)
# Pages whose title is the same word in both languages.
SAME_TITLE_IN_BOTH = {"Communes", "Terreau", "Administration", "Initiatives"}


def route_has_arguments(url: str) -> bool:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return True
    return bool(match.args or match.kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_english_pages_leave_no_french_interface_string(demo_data, role):
    french, english = crawled(role, "fr"), crawled(role, "en")
    problems = []
    for url, page in english.pages.items():
        if not page.html or page.status != 200 or url.startswith("/admin/"):
            continue
        for text in [page.chrome, *page.ui_text]:
            if match := FRENCH_UI_WORDS.search(text):
                problems.append(f"{url}: French {match.group(0)!r} in {text[:80]!r}")
        twin = french.pages.get(url)
        if (
            twin
            and twin.h1 == page.h1
            and not route_has_arguments(url)
            and not set(page.h1) <= SAME_TITLE_IN_BOTH
        ):
            problems.append(f"{url}: the same <h1> in French and English {page.h1}")
    assert not problems, "\n".join(sorted(set(problems)))


def hostile_requests(form: dict):
    """Query strings that put hostile values in a GET form's fields, all at once and one by one."""
    defaults = [(name, value) for name, kind, _, value in form["fields"] if kind == "hidden"]
    names = list(dict.fromkeys(name for name, kind, *_ in form["fields"] if kind != "hidden"))
    for value in HOSTILE_VALUES:
        yield defaults + [(name, value) for name in names]
    # One by one in the free-text fields, so that no other invalid field hides it.
    for name in dict.fromkeys(name for name, kind, *_ in form["fields"] if kind in TEXT_INPUTS):
        yield defaults + [(name, f"'\"{SCRIPT}")]
    for page in HOSTILE_PAGES:
        yield defaults + [("page", page)]
    # Every field repeated, as a multiple choice would be.
    yield defaults + [(name, value) for name in names for value in ("1", SCRIPT)]


_attacked_forms: set = set()


@pytest.mark.parametrize("role", ROLES)
def test_get_forms_withstand_hostile_input(demo_data, role):
    client = client_for(role, "fr")
    forms = crawled(role, "fr").get_forms
    assert forms
    problems = []
    for key, form in forms.items():
        if key in _attacked_forms:
            continue  # the same form was attacked as another role
        _attacked_forms.add(key)
        for query in hostile_requests(form):
            response = client.get(form["action"], query)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            where = f"{form['action']}?{urlencode(query)[:120]}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif SCRIPT.encode() in body:
                problems.append(f"{where}: the script came back unescaped")
    assert not problems, "\n".join(problems)


def test_the_page_checks_catch_common_defects():
    parser = PageParser()
    parser.feed(
        '<html><body><h1>A</h1><h1>B</h1><main id="x"><p id="d"></p><p id="d"></p>'
        '<input name="q"><label for="ok">Ok</label><select id="ok"></select>'
        '<label>Wrapped <textarea name="t"></textarea></label><input type="hidden" name="h">'
        '<img src="a.png"><img src="b.png" alt=""><span aria-describedby="nowhere"></span>'
        "<ul><li>('key', 'territories')</li></ul>"
        '<table></table><div class="table-scroll"><table></table></div>'
        "</main></body></html>"
    )
    assert accessibility_problems(parser) == [
        "<html> has no lang",
        "2 <h1> (['A', 'B'])",
        "<main> landmarks: ['x']",
        "Python object shown to people: \"('key', \"",
        "1 <table> not in a .table-scroll box (phones)",
        "duplicate ids ['d']",
        "unlabelled <input name='q' id=None>",
        "<img src='a.png'> has no alt",
        "aria-describedby points to a missing id 'nowhere'",
    ]


# Endpoints read by scripts (autocompletes, map data, API) that no crawled form submits.
SCRIPT_ENDPOINTS = [
    ("territories:commune_search", ["q", "limit"]),
    ("territories:department_outlines", ["departements"]),
    ("directory:organisation_suggestions", ["q", "lead_organisation"]),
    ("observatory:map_data", ["q", "theme", "department", "year"]),
    ("observatory:api:initiative_list", ["q", "theme", "department", "limit", "offset"]),
    ("observatory:export_csv", ["q", "theme"]),
    ("events:feed", ["kind", "theme", "department"]),
]


@pytest.mark.parametrize("name, parameters", SCRIPT_ENDPOINTS)
def test_script_endpoints_withstand_hostile_input(demo_data, name, parameters):
    from django.urls import reverse

    client = client_for("staff", "fr")
    for value in HOSTILE_VALUES:
        response = client.get(reverse(name), dict.fromkeys(parameters, value))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code < 500, (name, value[:40])
        assert SCRIPT.encode() not in body, (name, value[:40])
