"""django-allauth's adapter: the client's address as the rate limits and django-axes see it."""

from allauth.account.adapter import DefaultAccountAdapter

from terreau.core.throttle import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # Behind the reverse proxy, REMOTE_ADDR is the proxy's for everyone: allauth's per-address
        # limits would lock the whole site out after a few failures.
        return client_ip(request)
