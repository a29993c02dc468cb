"""Rate limits per client, kept in the cache (locmem on one machine, Redis across several), and
the client's address as the reverse proxy saw it.

- `client_ip(request)`: REMOTE_ADDR, or — only when REMOTE_ADDR is one of the proxies named in
  TERREAU_TRUSTED_PROXIES (addresses or networks) — the last address of X-Forwarded-For that is
  not a trusted proxy. A client cannot pick its own address by sending the header.
- `hit(scope, key)`: count one use of `scope` by `key` (an address, an e-mail address) and say
  whether it stays within the scope's rate (TERREAU_RATES, e.g. {"registration": "10/10m"}).
- `@throttled(scope)`: a view decorator that answers 429 (with Retry-After) once a client has
  used up its rate; `methods` restricts it (e.g. to POST, so the form itself stays readable).

Fixed windows: simple, cheap (one cache add and one incr), and exact enough for abuse control.
"""

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_RATES = {
    # Public forms that send e-mail or write rows
    "registration": "10/10m",
    "registration-change": "20/10m",
    # E-mails to one address (registration, change, cancellation): whoever sends them
    "mail-to": "4/h",
    # Reads that cost more than a page
    "search": "120/m",
    "export": "30/10m",
    "pdf": "20/10m",
    "api": "300/m",
}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/10m" → (10, 600)."""
    count, _slash, period = rate.partition("/")
    number = period[:-1] or "1"
    return int(count), int(number) * UNITS[period[-1]]


def rate_of(scope: str) -> tuple[int, int]:
    rates = {**DEFAULT_RATES, **getattr(settings, "TERREAU_RATES", {})}
    return parse_rate(rates[scope])


def _networks():
    networks = []
    for item in getattr(settings, "TERREAU_TRUSTED_PROXIES", []):
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The client's address (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a garbled header: the proxy's own address
        if not _is_trusted(address, networks):
            return address
    return remote


def axes_client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: django-axes sees the same address as the rate limits."""
    return client_ip(request)


def hit(scope: str, key: str) -> bool:
    """Count one use; True while the scope's rate is not exceeded."""
    allowed, period = rate_of(scope)
    window = int(time.time() // period)
    cache_key = f"throttle:{scope}:{window}:{key}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= allowed


def retry_after(scope: str) -> int:
    _allowed, period = rate_of(scope)
    return period - int(time.time()) % period


def too_many_requests(request, scope: str):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after(scope))
    response["Cache-Control"] = "private, no-store"
    return response


def throttled(scope: str, *, methods=None):
    """View decorator (functions; class-based views through method_decorator on dispatch)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (methods is None or request.method in methods) and not hit(
                scope, client_ip(request)
            ):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
