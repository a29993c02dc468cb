"""Signed links of the newsletter (django.core.signing): confirm, manage, unsubscribe.

A token names the subscriber and their current `nonce`; the nonce changes at every change of
state, so a forged token fails the signature and a replayed one names a nonce that is gone.
"""

from django.core import signing

CONFIRM = "confirm"
MANAGE = "manage"
UNSUBSCRIBE = "unsubscribe"
PURPOSES = frozenset({CONFIRM, MANAGE, UNSUBSCRIBE})
# A confirmation link is good for a week; unsubscribe and manage links for as long as the
# subscription they were sent for (RFC 8058 expects the link of an old message to work).
CONFIRM_MAX_AGE = 7 * 24 * 3600
MAX_TOKEN_LENGTH = 200


def _salt(purpose: str) -> str:
    return f"terreau.library.newsletter.{purpose}"


def token_maker(purpose: str):
    """make_token for many subscribers (an issue's copies): one signer for all of them, the
    same tokens as `signing.dumps` gives."""
    signer = signing.TimestampSigner(salt=_salt(purpose))
    return lambda subscriber: signer.sign_object([subscriber.pk, subscriber.nonce])


def make_token(subscriber, purpose: str) -> str:
    return token_maker(purpose)(subscriber)


def read_token(token: str, purpose: str) -> tuple[int, str] | None:
    """(subscriber id, nonce) of a valid token, None for anything else."""
    if purpose not in PURPOSES or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        value = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
        or not 0 < value[0] < 2**63
    ):
        return None
    return value[0], value[1]
