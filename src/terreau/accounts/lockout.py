"""Brute-force protection glue: which account a failed log-in was aimed at (django-axes).

allauth authenticates with `email=…` credentials while its form posts a `login` field; axes
must see the same address in both cases, or every failure would be counted under no name.
"""


def lockout_username(request, credentials: dict | None) -> str | None:
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
