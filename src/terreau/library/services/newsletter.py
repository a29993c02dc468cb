"""Writes of the newsletter: subscriptions (double opt-in), preferences, unsubscribing,
bounces; issues composed, tested and queued exactly once per subscriber.

Exactly once: `issue_queue_batch` writes, in one transaction, each subscriber's Delivery row
(unique per issue and subscriber) and the outbox message it stands for (outbox key
`newsletter:<issue>:<subscriber>`). The next batch is "confirmed subscribers without a
delivery for this issue": the checkpoint is the rows themselves, so a worker killed before the
commit leaves nothing behind and its batch is taken again, and one killed after leaves a
complete batch that is never taken again. The outbox's worker then delivers each message once.
"""

import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.bulk import insert_rows
from terreau.core.tasks import task_enqueue_atomic

from .. import mail, tokens
from ..models import (
    ContentKind,
    Delivery,
    DeliveryState,
    Issue,
    IssueItem,
    IssueState,
    Subscriber,
    SubscriberState,
)
from ..models.newsletter import new_nonce
from ..newsletter_mail import IssueRenderer, confirmation_message, test_subject_prefix

BATCH_SIZE = 500  # default; settings.NEWSLETTER_BATCH_SIZE
# A second request for the same address within this delay sends no second confirmation.
CONFIRMATION_RESEND_DELAY = dt.timedelta(minutes=10)
ENDED = {
    SubscriberState.UNSUBSCRIBED,
    SubscriberState.BOUNCED,
    SubscriberState.COMPLAINED,
}


def outbox_key(issue_id: int, subscriber_id: int) -> str:
    return f"newsletter:{issue_id}:{subscriber_id}"


def _clean_kinds(kinds) -> list[str]:
    valid = set(ContentKind.values)
    return [kind for kind in ContentKind.values if kind in set(kinds or ()) & valid]


def subscriber_find(email: str) -> Subscriber | None:
    return Subscriber.objects.annotate(lower=Lower("email")).filter(lower=email.lower()).first()


@transaction.atomic
def subscriber_subscribe(
    *, email: str, themes=(), kinds=(), language: str = "fr", user=None
) -> Subscriber:
    """Ask for the newsletter. Sends the confirmation e-mail and nothing else: the address
    receives issues only once it follows the link (double opt-in).

    An address already confirmed gets no message (the page says the same in every case, so
    nobody learns who subscribes); a pending one gets the confirmation again at most every ten
    minutes. Raises ValidationError({"email": …}) for an invalid address.
    """
    email = (email or "").strip()
    subscriber = subscriber_find(email)
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=email, language=language[:5], user=user)
        subscriber.full_clean(exclude=["kinds"])
        subscriber.kinds = _clean_kinds(kinds)
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:  # the same address at the same moment
            subscriber = subscriber_find(email)
            return subscriber
        subscriber.themes.set(themes)
    elif subscriber.state == SubscriberState.CONFIRMED:
        return subscriber
    elif subscriber.state == SubscriberState.PENDING:
        sent = subscriber.confirmation_sent_at
        if sent and now - sent < CONFIRMATION_RESEND_DELAY:
            return subscriber
    else:  # unsubscribed, bounced, complained: a new subscription, new links
        subscriber.state = SubscriberState.PENDING
        subscriber.nonce = new_nonce()
        subscriber.kinds = _clean_kinds(kinds)
        subscriber.language = language[:5]
        subscriber.user = subscriber.user or user
        subscriber.save()
        subscriber.themes.set(themes)
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    confirmation_message(subscriber).send()
    return subscriber


def subscriber_from_token(token: str, purpose: str) -> Subscriber | None:
    """The subscriber a valid, current token names; None for a forged, expired or used one."""
    found = tokens.read_token(token, purpose)
    if found is None:
        return None
    pk, nonce = found
    subscriber = Subscriber.objects.filter(pk=pk, nonce=nonce).first()
    if subscriber is None:
        return None
    if purpose == tokens.CONFIRM and subscriber.state != SubscriberState.PENDING:
        return None
    if purpose != tokens.CONFIRM and subscriber.state != SubscriberState.CONFIRMED:
        return None
    return subscriber


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber | None:
    """Confirm a subscription from its e-mailed link; None (and no change) for a bad token.
    The nonce changes, so the confirmation link works once."""
    subscriber = subscriber_from_token(token, tokens.CONFIRM)
    if subscriber is None:
        return None
    updated = Subscriber.objects.filter(
        pk=subscriber.pk, nonce=subscriber.nonce, state=SubscriberState.PENDING
    ).update(state=SubscriberState.CONFIRMED, confirmed_at=timezone.now(), nonce=new_nonce())
    if not updated:
        return None
    subscriber.refresh_from_db()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop the newsletter for this address at once (no confirmation asked, nothing sent).
    Deliveries already queued for it are left to the outbox."""
    Subscriber.objects.filter(pk=subscriber.pk).update(
        state=SubscriberState.UNSUBSCRIBED, unsubscribed_at=timezone.now(), nonce=new_nonce()
    )
    subscriber.refresh_from_db()
    return subscriber


@transaction.atomic
def subscriber_preferences_update(*, subscriber: Subscriber, themes, kinds) -> Subscriber:
    """Set the themes and kinds of content the subscriber receives (none: everything)."""
    subscriber.kinds = _clean_kinds(kinds)
    subscriber.save(update_fields=["kinds"])
    subscriber.themes.set(themes)
    return subscriber


@transaction.atomic
def subscriber_mark_bounced(*, email: str, reason: str = "", complaint: bool = False) -> bool:
    """The mail server reported that this address bounces (permanent failure) or its owner
    marked a message as spam: no issue goes to it any more. True when an address was marked."""
    subscriber = subscriber_find(email or "")
    if subscriber is None:
        return False
    state = SubscriberState.COMPLAINED if complaint else SubscriberState.BOUNCED
    Subscriber.objects.filter(pk=subscriber.pk).update(
        state=state, bounced_at=timezone.now(), bounce_reason=reason[:300], nonce=new_nonce()
    )
    # The delivery log shows it on the latest copy sent to the address.
    latest = (
        Delivery.objects.filter(subscriber=subscriber, state=DeliveryState.QUEUED)
        .order_by("-pk")
        .values_list("pk", flat=True)[:1]
    )
    Delivery.objects.filter(pk__in=list(latest)).update(state=DeliveryState.BOUNCED)
    return True


# issues


@transaction.atomic
def issue_create(*, subject: str, introduction: str = "", items=(), user=None) -> Issue:
    """A draft issue from chosen content: `items` are dicts (kind, title, summary, url,
    date_text, theme_ids, source), as `selectors.newsletter_candidates` gives them."""
    issue = Issue(subject=subject, introduction=introduction, created_by=user)
    issue.full_clean()
    issue.save()
    issue_set_items(issue=issue, items=items)
    return issue


@transaction.atomic
def issue_set_items(*, issue: Issue, items) -> Issue:
    if not issue.is_draft:
        raise ValidationError(_("An issue that is being sent cannot change."), code="not_draft")
    issue.items.all().delete()
    IssueItem.objects.bulk_create(
        IssueItem(issue=issue, position=position, **item) for position, item in enumerate(items)
    )
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, subject: str, introduction: str) -> Issue:
    if not issue.is_draft:
        raise ValidationError(_("An issue that is being sent cannot change."), code="not_draft")
    issue.subject, issue.introduction = subject, introduction
    issue.full_clean()
    issue.save(update_fields=["subject", "introduction"])
    return issue


def issue_send_test(*, issue: Issue, email: str) -> None:
    """Send the whole issue (every item) to one address, marked as a test. No delivery row;
    the links in it are a placeholder subscriber's, which no real subscriber can use."""
    renderer = IssueRenderer(issue)
    placeholder = Subscriber(pk=0, email=email, nonce="test")
    renderer.message(placeholder, renderer.items, subject_prefix=test_subject_prefix()).send()


@transaction.atomic
def issue_send(*, issue: Issue) -> Issue:
    """Start sending a draft issue to every confirmed subscriber: queues the
    `newsletter_queue_issue` task (after commit). Raises ValidationError when it is not a
    draft or has no item."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_draft:
        raise ValidationError(_("This issue is already being sent."), code="not_draft")
    if not issue.items.exists():
        raise ValidationError(_("Add at least one item before sending."), code="empty")
    issue.state = IssueState.SENDING
    issue.send_requested_at = timezone.now()
    issue.save(update_fields=["state", "send_requested_at"])
    issue_queue_enqueue(issue_id=issue.pk)
    return issue


def issue_queue_enqueue(*, issue_id: int) -> None:
    """Queue the task that writes the deliveries (with the current transaction on the database
    queue). Safe to call again for an issue whose queueing stopped: the task takes up where the
    rows end (and `terreau worker` re-queues a task whose worker was killed)."""
    from ..tasks import newsletter_queue_issue

    task_enqueue_atomic(newsletter_queue_issue, issue_id)


class SubscriberRow(NamedTuple):
    """What queueing a copy needs of a subscriber (no model instance for 20,000 of them)."""

    pk: int
    email: str
    nonce: str
    kinds: list[str]


def _pending_subscribers(issue: Issue):
    delivered = Delivery.objects.filter(issue=issue, subscriber=OuterRef("pk"))
    return Subscriber.objects.filter(state=SubscriberState.CONFIRMED).filter(~Exists(delivered))


def issue_queue_batch(*, issue_id: int, size: int = BATCH_SIZE, renderer=None) -> int:
    """Write the next batch of deliveries and their outbox messages, in one transaction.
    Returns how many subscribers the batch covered (0: none left)."""
    with transaction.atomic():
        # The issue's row lock serialises two workers on the same issue (the unique
        # constraints would refuse a duplicate anyway).
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None or issue.state != IssueState.SENDING:
            return 0
        renderer = renderer or IssueRenderer(issue)
        batch = [
            SubscriberRow(*values)
            for values in _pending_subscribers(issue)
            .order_by("pk")
            .values_list("pk", "email", "nonce", "kinds")[:size]
        ]
        if not batch:
            issue.state = IssueState.SENT
            issue.queued_at = issue.queue_progress_at = timezone.now()
            issue.save(update_fields=["state", "queued_at", "queue_progress_at"])
            return 0
        themes: dict[int, set[int]] = {}
        for subscriber_id, theme_id in Subscriber.themes.through.objects.filter(
            subscriber_id__in=[subscriber.pk for subscriber in batch]
        ).values_list("subscriber_id", "theme_id"):
            themes.setdefault(subscriber_id, set()).add(theme_id)
        deliveries = []
        copies: dict[tuple[int, ...], tuple[list, list]] = {}  # by set of items
        for subscriber in batch:
            items = renderer.items_for(subscriber, themes.get(subscriber.pk, set()))
            if not items:
                deliveries.append((subscriber.pk, subscriber.email, DeliveryState.SKIPPED, ""))
                continue
            key = outbox_key(issue.pk, subscriber.pk)
            deliveries.append((subscriber.pk, subscriber.email, DeliveryState.QUEUED, key))
            group = copies.setdefault(tuple(item.pk for item in items), (items, []))
            group[1].append(renderer.copy(subscriber, key=key))
        # Plain INSERTs (the unique constraint on issue and subscriber still refuses a copy).
        insert_rows(
            Delivery,
            ["subscriber_id", "email", "state", "outbox_key"],
            deliveries,
            constants={"issue_id": issue.pk},
        )
        # One shared body per set of items (the templates rendered once), the subscribers'
        # links put in its place when each copy is sent.
        for items, group in copies.values():
            mail.enqueue_copies(renderer.shared_message(items), group)
        # An UPDATE, not a save: the progress is no content (no version of a page moves).
        Issue.objects.filter(pk=issue.pk).update(queue_progress_at=timezone.now())
        return len(batch)


def issue_queue(*, issue_id: int, size: int | None = None) -> int:
    """Queue every remaining delivery of an issue, batch after batch (the task's body).
    Returns the number of subscribers covered by this run."""
    size = size or getattr(settings, "NEWSLETTER_BATCH_SIZE", BATCH_SIZE)
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return 0
    renderer = IssueRenderer(issue)
    total = 0
    while covered := issue_queue_batch(issue_id=issue_id, size=size, renderer=renderer):
        total += covered
    return total
