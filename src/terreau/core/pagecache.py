"""A versioned cache of public pages for anonymous visitors, with conditional requests.

`public_page(scopes=...)` wraps a view. For a visitor who sends no cookie but the CSRF and
language ones (nobody signed in, no session, no messages, no registration remembered), the
rendered page is kept in the cache under a key made of the content's versions
(`core.versions`: one database query per request), the language and the full path with its
query string: any change to what the page shows moves a version, so nothing stale is served.
Time changes pages too (registration closes, an event ends): a view bounds its page's life by
setting `response.expires_at`.

A page is stored only when nothing personal can be in it: answered 200, no cookie set, no CSRF
token asked for (a form), no CSP nonce, no message shown, the session untouched, no `Vary:
Cookie` nor `private`/`no-store` set by the view. Requests with other cookies (signed in, a
session, remembered registrations) are rendered as usual and marked `Cache-Control: private`.

A page with a blank form (`public_page(form=True)`: the registration form) is kept too, with a
mark where the CSRF token goes (`csrf_token_mark`, a context processor): each visitor
gets the stored page with their own token put in, marked `private` (the token is theirs), and
without an `ETag`.

Every public answer carries an `ETag` (a digest of the body) and `Last-Modified` (when the
content last changed), and `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE` so that a proxy or
a CDN may keep it for a short while; a matching `If-None-Match` (or an `If-Modified-Since` not
older than the content) gets `304 Not Modified`.

Memory: entries live in the default cache (local memory: at most its MAX_ENTRIES per process,
3,000 by default, `LOCMEM_CACHE_ENTRIES` — at most some 60 MB if all were 20 KB pages; Redis
when several machines serve the site), each for at most PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from . import versions

PAGE_CACHE_SECONDS = getattr(settings, "PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_MAX_AGE = getattr(settings, "PAGE_CACHE_MAX_AGE", 60)
# Cookies that change nothing on a public page but its language, which is in the key (a page
# that used the CSRF token is not stored).
NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
KEPT_HEADERS = ("Content-Language", "Content-Disposition", "X-Robots-Tag", "Link")
# Stands for the visitor's CSRF token in a stored form page. Derived from the secret key, so that
# no one can write it into content (an event's text) and have a visitor's token put there.
CSRF_TOKEN_MARK = (
    "csrf-"
    + salted_hmac("terreau.pagecache.csrf", "token-mark", algorithm="sha256").hexdigest()[:32]
)
_CSRF_TOKEN_MARK_BYTES = CSRF_TOKEN_MARK.encode()


def anonymous_and_plain(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("HX-Request"):
        return False  # htmx asks for fragments of the page
    return all(name in NEUTRAL_COOKIES for name in request.COOKIES)


def page_key(full_path: str, language: str, stamp: str) -> str:
    """The cache key of a page: its versions, its language, its path with the query string."""
    path = hashlib.sha256(full_path.encode()).hexdigest()[:40]
    return f"page:{language}:{stamp}:{path}"


def _etag(body: bytes) -> str:
    return quote_etag(hashlib.blake2b(body, digest_size=12).hexdigest())


def _not_modified(request, etag: str, last_modified: float | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and last_modified is not None and int(last_modified) <= since


def _public_headers(response, entry: dict) -> None:
    response["ETag"] = entry["etag"]
    if entry["last_modified"] is not None:
        response["Last-Modified"] = http_date(entry["last_modified"])
    remaining = int(entry["expires"] - timezone.now().timestamp())
    patch_cache_control(response, public=True, max_age=max(0, min(PAGE_CACHE_MAX_AGE, remaining)))


def _stored(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["body"], content_type=entry["content_type"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _answer(request, entry: dict):
    if _not_modified(request, entry["etag"], entry["last_modified"]):
        response = HttpResponseNotModified()
    else:
        response = _stored(entry)
    _public_headers(response, entry)
    return response


def csrf_token_mark(request) -> dict:
    """Context processor: in a form page being stored, the mark stands for the token."""
    if getattr(request, "_page_form", False):
        return {"csrf_token": CSRF_TOKEN_MARK}
    return {}


def _with_token(request, response):
    """The stored form page with this visitor's own CSRF token, for them only."""
    if _CSRF_TOKEN_MARK_BYTES in response.content:
        response.content = response.content.replace(
            _CSRF_TOKEN_MARK_BYTES, get_token(request).encode()
        )
    patch_cache_control(response, private=True)
    return response


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: a form, personal to this visitor
    if getattr(request, "_csp_nonce", None):
        return False
    # Without cookies a visitor has no stored message and no session: only what this request
    # added could be personal.
    if getattr(getattr(request, "_messages", None), "_queued_messages", None):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    return "cookie" not in vary


def public_page(*, scopes: tuple[str, ...] = (versions.SITE,), expires=None, form=False):
    """Keep the page for anonymous visitors, keyed on the versions of `scopes`; `expires(request)`
    may say when the page changes by itself (else the view's `response.expires_at`); `form`: the
    page holds a blank form, stored with a mark where each visitor's CSRF token goes."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, "PAGE_CACHE_ENABLED", True):
                return view(request, *args, **kwargs)
            if not anonymous_and_plain(request):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                patch_cache_control(response, private=True)
                return response
            # No session cookie: nobody is signed in, and the session is never read.
            request.user = AnonymousUser()
            stamp, changed_at = versions.current(scopes)
            key = page_key(request.get_full_path(), translation.get_language(), stamp)
            entry = cache.get(key)
            if entry is not None and entry["expires"] > timezone.now().timestamp():
                if form:
                    return _with_token(request, _stored(entry))
                return _answer(request, entry)
            request._page_form = form
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            finally:
                request._page_form = False
            if not _storable(request, response):
                if form and not response.streaming:
                    return _with_token(request, response)
                if response.status_code == 200:
                    patch_cache_control(response, private=True)
                return response
            now = timezone.now()
            expires_at = getattr(response, "expires_at", None)
            if expires is not None:
                bound = expires(request)
                expires_at = (
                    bound if expires_at is None else min(x for x in (bound, expires_at) if x)
                )
            life = PAGE_CACHE_SECONDS
            if expires_at is not None:
                life = min(life, (expires_at - now).total_seconds())
            entry = {
                "body": response.content,
                "content_type": response["Content-Type"],
                "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
                "etag": _etag(response.content),
                "last_modified": (changed_at or now).timestamp(),
                "expires": now.timestamp() + max(life, 0),
            }
            if life >= 1:
                cache.set(key, entry, int(life))
            if form:
                return _with_token(request, response)
            if _not_modified(request, entry["etag"], entry["last_modified"]):
                not_modified = HttpResponseNotModified()
                _public_headers(not_modified, entry)
                return not_modified
            _public_headers(response, entry)
            return response

        return wrapper

    return decorator


def personal_page(view):
    """A page with personal data or a personal link: no proxy or browser cache may keep it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def start_of_day_after(day: dt.date | None) -> dt.datetime | None:
    """Midnight after `day` in the site's time zone: when what holds on that day stops holding."""
    if day is None:
        return None
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, timezone.get_current_timezone()
    )


def next_local_midnight(request=None, *, now: dt.datetime | None = None) -> dt.datetime:
    """The start of tomorrow: when a page showing what holds *today* (members by their join and
    leave dates) changes by itself."""
    return start_of_day_after(timezone.localdate(now or timezone.now()))


def next_change(*moments: dt.datetime | None, now: dt.datetime | None = None):
    """The first of these moments still to come (when a page showing them changes by itself)."""
    now = now or timezone.now()
    future = [moment for moment in moments if moment is not None and moment > now]
    return min(future) if future else None
