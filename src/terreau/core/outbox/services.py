"""Writes of the outbox: queue a message in the caller's transaction, deliver due messages,
retry failed ones, and take back what a killed worker left claimed."""

import base64
import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from email.utils import make_msgid
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..bulk import insert_rows
from .models import OutboxBody, OutboxMessage, OutboxStatus

logger = logging.getLogger("terreau.outbox")

OUTBOX_KEY_HEADER = "X-Terreau-Outbox-Key"
DELIVERY_ALIAS = "delivery"

# The id of the task the worker is running, set by a task_started handler (apps.py), so that a
# task re-run after a crash derives the same keys for the same messages.
current_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "terreau_current_task_id", default=None
)
_task_key_counts: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "terreau_task_key_counts", default=None
)


def _setting(name: str, default):
    return getattr(settings, name, default)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 300))


def _renew_every() -> float:
    """Seconds between two renewals of a batch's lease while it is being sent: well inside the
    lease, so that no other worker ever finds it expired (`OUTBOX_RENEW_SECONDS`, 30 s)."""
    return min(_setting("OUTBOX_RENEW_SECONDS", 30), _lease().total_seconds() / 3)


def _message_id() -> str:
    # make_msgid() without a domain looks the host name up at every call: once is enough.
    return make_msgid(domain=_setting("OUTBOX_MESSAGE_ID_DOMAIN", None) or str(DNS_NAME))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, … capped at an hour (settings can change both)."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 30)
    cap = _setting("OUTBOX_RETRY_MAX_SECONDS", 3600)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _encode(content) -> dict:
    if isinstance(content, bytes):
        return {"b64": base64.b64encode(content).decode("ascii")}
    return {"text": str(content)}


def _decode(data: dict):
    return base64.b64decode(data["b64"]) if "b64" in data else data["text"]


def _attachments(message) -> list[dict]:
    rows = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            filename, content, mimetype = attachment
        else:  # a MIME part attached as such
            filename = attachment.get_filename()
            content = attachment.get_payload(decode=True)
            mimetype = attachment.get_content_type()
        rows.append({"filename": filename, "mimetype": mimetype, **_encode(content)})
    return rows


def _alternatives(message) -> list[list[str]]:
    return [[str(alt[0]), alt[1]] for alt in getattr(message, "alternatives", []) or []]


def _task_key(message) -> str | None:
    task_id = current_task_id.get()
    if not task_id:
        return None
    digest = hashlib.sha256(
        "\x1f".join([*message.recipients(), message.subject, message.body]).encode()
    ).hexdigest()[:32]
    counts = _task_key_counts.get()
    if counts is None:
        counts = {}
        _task_key_counts.set(counts)
    counts[digest] = counts.get(digest, 0) + 1
    return f"task:{task_id}:{digest}:{counts[digest]}"


def _kick() -> None:
    from terreau.core.tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # the sweep of `terreau worker` delivers it anyway
        logger.exception("Could not queue the outbox delivery task")


def _kick_on_commit() -> None:
    # One delivery task per transaction, however many messages it queued.
    if connection.in_atomic_block and any(
        func is _kick for _ids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_kick)


def _row(message, key: str | None) -> OutboxMessage:
    headers = dict(message.extra_headers)
    headers.pop(OUTBOX_KEY_HEADER, None)
    headers.setdefault("Message-ID", _message_id())
    return OutboxMessage(
        key=key or None,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=_alternatives(message),
        headers=headers,
        attachments=_attachments(message),
        next_attempt_at=timezone.now(),
    )


class OutboxCopy(NamedTuple):
    """One recipient's copy of a shared message (see `outbox_enqueue_copies`)."""

    key: str | None
    to: list[str]
    # mark → this copy's value, replaced in the shared body and alternatives when it is sent
    substitutions: dict[str, str]
    # this copy's own headers, added to the shared message's (a Message-ID is made if absent)
    headers: dict[str, str]


def _shared_body(message) -> OutboxBody:
    alternatives = _alternatives(message)
    attachments = _attachments(message)
    content = [str(message.body), message.content_subtype, alternatives, attachments]
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    found = OutboxBody.objects.filter(digest=digest).first()
    if found is not None:
        return found
    body = OutboxBody(
        digest=digest,
        body=content[0],
        content_subtype=content[1],
        alternatives=alternatives,
        attachments=attachments,
    )
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError:  # the same body written by a concurrent transaction
        return OutboxBody.objects.get(digest=digest)
    return body


def outbox_enqueue_copies(message, copies: Iterable[OutboxCopy]) -> int:
    """Write many copies of one message (a newsletter issue) to the outbox in the current
    transaction, its body, alternative parts and attachments stored once (an `OutboxBody`,
    shared with any earlier message of the same content).

    `message` is the shared EmailMessage: its body and alternatives hold marks that each copy
    replaces (`OutboxCopy.substitutions`: its own links); its subject, sender and headers go to
    every copy, with the copy's headers added. A copy whose key is already in the outbox is
    dropped, as is a copy without a recipient. Returns how many rows were written: one query
    for the keys already there, one for the shared body, one INSERT run for every copy.
    Side effects: the delivery task is queued when the transaction commits."""
    copies = [copy for copy in copies if copy.to]
    keys = [copy.key for copy in copies if copy.key]
    taken = set()
    for start in range(0, len(keys), 5000):
        taken |= set(
            OutboxMessage.objects.filter(key__in=keys[start : start + 5000]).values_list(
                "key", flat=True
            )
        )
    if not copies:
        return 0
    shared = _shared_body(message)
    common = dict(message.extra_headers)
    common.pop(OUTBOX_KEY_HEADER, None)
    rows, seen = [], set()
    for copy in copies:
        if copy.key and (copy.key in taken or copy.key in seen):
            continue
        seen.add(copy.key)
        headers = {**common, **copy.headers}
        headers.setdefault("Message-ID", _message_id())
        rows.append((copy.key or None, list(copy.to), headers, copy.substitutions))
    # A plain INSERT run for every row: model instances and the ORM's per-value preparation
    # took most of the time of queueing 20,000 copies.
    insert_rows(
        OutboxMessage,
        ["key", "to", "headers", "substitutions"],
        rows,
        constants={
            "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "subject": str(message.subject),
            "content_subtype": message.content_subtype,
            "shared_body_id": shared.pk,
            "next_attempt_at": timezone.now(),
        },
        ignore_conflicts=True,
    )
    if rows:
        _kick_on_commit()
    return len(rows)


def outbox_enqueue(message, *, key: str | None = None) -> OutboxMessage | None:
    """Write `message` (an EmailMessage) to the outbox in the current transaction.

    A message whose key is already in the outbox is dropped (returns None). Side effects: when
    the transaction commits, the delivery task is queued."""
    key = key or message.extra_headers.get(OUTBOX_KEY_HEADER) or _task_key(message)
    if key and OutboxMessage.objects.filter(key=key).exists():
        return None
    row = _row(message, key)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        if key and OutboxMessage.objects.filter(key=key).exists():
            return None  # the same key queued by a concurrent transaction
        raise
    _kick_on_commit()
    return row


def outbox_substitute(text: str, substitutions: dict[str, str]) -> str:
    """A shared body's text with each mark replaced by a copy's value."""
    for mark, value in substitutions.items():
        text = text.replace(mark, value)
    return text


def outbox_message_build(row: OutboxMessage, shared: OutboxBody | None = None):
    """The EmailMessage that a row stands for, as it was queued (`shared`: the row's shared
    body, when the caller has it already)."""
    if row.shared_body_id is not None:
        shared = shared if shared is not None else row.shared_body
        subs = row.substitutions
        body = outbox_substitute(shared.body, subs)
        alternatives = [[outbox_substitute(alt[0], subs), alt[1]] for alt in shared.alternatives]
        attachments, subtype = shared.attachments, shared.content_subtype
    else:
        body, alternatives, attachments = row.body, row.alternatives, row.attachments
        subtype = row.content_subtype
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    message.content_subtype = subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for attachment in attachments:
        message.attach(attachment["filename"], _decode(attachment), attachment["mimetype"])
    return message


def _due(now):
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
    )


def _claim(rows: list[OutboxMessage], now, token: str | None = None) -> list[OutboxMessage]:
    """Claim rows in one compare-and-set UPDATE under one new claim token (and one lease): a
    row is taken only if it still has the state and claim token it was read with — and, for a
    claim taken back, if that claim's lease has still run out — so a row that another worker
    claimed or renewed meanwhile is skipped (alike on SQLite and PostgreSQL, with any number
    of workers: on PostgreSQL the UPDATE re-checks its WHERE on a row another one changed).
    Returns the claimed rows, whole, in the order they are due."""
    if not rows:
        return []
    token = token or uuid.uuid4().hex
    pending = {row.claim_token for row in rows if row.status == OutboxStatus.PENDING}
    taken_back = {row.claim_token for row in rows if row.status == OutboxStatus.SENDING}
    unchanged = Q(status=OutboxStatus.PENDING, claim_token__in=pending) | Q(
        status=OutboxStatus.SENDING, claim_token__in=taken_back, claimed_until__lt=now
    )
    ids = [row.pk for row in rows]
    updated = (
        OutboxMessage.objects.filter(pk__in=ids)
        .filter(unchanged)
        .update(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
    )
    if not updated:
        return []
    return list(
        OutboxMessage.objects.filter(pk__in=ids, claim_token=token).order_by(
            "next_attempt_at", "pk"
        )
    )


def _renew(row: OutboxMessage) -> bool:
    return bool(_renew_batch([row], row.claim_token))


def _renew_batch(rows: list[OutboxMessage], token: str) -> list[OutboxMessage]:
    """Extend the lease of a batch's rows still to send, in one UPDATE; returns those still
    held by this claim (a row taken back by another worker meanwhile is left to it)."""
    held = OutboxMessage.objects.filter(
        pk__in=[row.pk for row in rows], claim_token=token, status=OutboxStatus.SENDING
    )
    if held.update(claimed_until=timezone.now() + _lease()) == len(rows):
        return rows
    kept = set(held.values_list("pk", flat=True))
    return [row for row in rows if row.pk in kept]


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _failed(rows: list[OutboxMessage], error: Exception, now, token: str) -> dict:
    """Reschedule rows that could not be sent (with back-off) or fail them for good, one UPDATE
    per number of attempts. Returns the counts {"retried", "failed"}."""
    counts = {"retried": 0, "failed": 0}
    last_error = f"{type(error).__name__}: {error}"[:2000]
    by_attempts: dict[int, list[int]] = {}
    for row in rows:
        by_attempts.setdefault(row.attempts, []).append(row.pk)
    for attempts, ids in by_attempts.items():
        permanent = _is_permanent(error) or attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 10)
        counts["failed" if permanent else "retried"] += OutboxMessage.objects.filter(
            pk__in=ids, claim_token=token
        ).update(
            status=OutboxStatus.FAILED if permanent else OutboxStatus.PENDING,
            next_attempt_at=now + retry_delay(attempts),
            claimed_until=None,
            last_error=last_error,
        )
    return counts


def _add(counts: dict, more: dict) -> None:
    for name, value in more.items():
        counts[name] += value


def _mark_sent(row: OutboxMessage, token: str) -> None:
    # One row at a time, right after the server accepted it: a worker killed in a batch sends
    # again only the message it was sending (marking the batch at its end would send the
    # whole batch again). A plain UPDATE: the ORM's compiling of it was a tenth of the time
    # of sending a message.
    table, quote = OutboxMessage._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET status = %s, sent_at = %s, claimed_until = NULL "
            "WHERE id = %s AND claim_token = %s",
            [
                OutboxStatus.SENT.value,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                row.pk,
                token,
            ],
        )


@contextlib.contextmanager
def _commits_without_waiting_for_the_disk():
    """On PostgreSQL, the delivery loop's commits (its claims, renewals and sent marks) do not
    wait for the WAL to reach the disk (`synchronous_commit` off for its session while it
    runs): a sent mark costs a fifth of a millisecond instead of four. The database stays
    consistent; only a crash of the database server itself (not of the worker; a restart
    writes everything) may lose the marks of its last fraction of a second, whose messages
    are then sent again, with the same Message-ID."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def outbox_deliver_due(*, limit: int = 500, batch_size: int = 100) -> dict:
    """Send up to `limit` due messages through `MAILERS["delivery"]`, `batch_size` at a time:
    each batch claimed in one UPDATE and sent over one connection, its lease renewed every
    `OUTBOX_RENEW_SECONDS` while it is being sent.

    Returns the counts {"sent", "retried", "failed"}. Side effects: SMTP; each row is marked
    sent right after the server accepted it, or rescheduled with back-off, or failed for good."""
    with _commits_without_waiting_for_the_disk():
        return _deliver_due(limit=limit, batch_size=batch_size)


def _deliver_due(*, limit: int, batch_size: int) -> dict:
    counts = {"sent": 0, "retried": 0, "failed": 0}
    bodies: dict[int, OutboxBody] = {}  # shared bodies never change: read once per call
    while sum(counts.values()) < limit:
        now = timezone.now()
        size = min(batch_size, limit - sum(counts.values()))
        due = list(
            _due(now).order_by("next_attempt_at", "pk").only("pk", "status", "claim_token")[:size]
        )
        if not due:
            break
        token = uuid.uuid4().hex
        claimed = _claim(due, now, token)
        if not claimed:
            continue
        claimed_at = time.monotonic()
        wanted = {row.shared_body_id for row in claimed} - bodies.keys() - {None}
        if wanted:
            bodies.update(OutboxBody.objects.in_bulk(wanted))
        backend = mailers[DELIVERY_ALIAS]
        try:
            backend.open()
        except Exception as error:  # the server is down: every claimed row waits for a retry
            _add(counts, _failed(claimed, error, now, token))
            logger.warning("Mail server unavailable: %s", error)
            break
        try:
            remaining = claimed
            while remaining:
                if time.monotonic() - claimed_at >= _renew_every():
                    # A batch that takes longer than its lease is never taken back (and sent
                    # twice) by another worker's sweep.
                    remaining = _renew_batch(remaining, token)
                    claimed_at = time.monotonic()
                    if not remaining:
                        break
                row, remaining = remaining[0], remaining[1:]
                try:
                    message = outbox_message_build(row, bodies.get(row.shared_body_id))
                    if not backend.send_messages([message]):
                        raise smtplib.SMTPException("the backend sent nothing")
                except Exception as error:
                    _add(counts, _failed([row], error, timezone.now(), token))
                    continue
                _mark_sent(row, token)
                counts["sent"] += 1
        finally:
            try:
                backend.close()
            except Exception:
                logger.exception("Closing the mail connection failed")
    return counts


def outbox_retry(*, messages) -> int:
    """Put failed messages back in the queue (staff's "retry"). Returns how many."""
    with transaction.atomic():
        count = messages.filter(status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_until=None,
        )
        if count:
            _kick_on_commit()
    return count


def tasks_recover_stale() -> int:
    """Tasks that a killed worker left RUNNING for longer than `TASKS_LEASE_SECONDS` become
    ready again (tasks take ids and are idempotent; their e-mails carry task-derived keys)."""
    from django_tasks_db.models import DBTaskResult

    lease = dt.timedelta(seconds=_setting("TASKS_LEASE_SECONDS", 1800))
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=timezone.now() - lease)
        .update(status="READY", started_at=None)
    )
