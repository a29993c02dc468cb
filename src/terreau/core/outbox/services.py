"""Writes of the outbox: queue a message in the caller's transaction, deliver due messages,
retry failed ones, and take back what a killed worker left claimed."""

import base64
import contextvars
import datetime as dt
import hashlib
import logging
import smtplib
import uuid
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

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
    headers.setdefault("Message-ID", make_msgid(domain=_setting("OUTBOX_MESSAGE_ID_DOMAIN", None)))
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
        alternatives=[[str(alt[0]), alt[1]] for alt in getattr(message, "alternatives", []) or []],
        headers=headers,
        attachments=_attachments(message),
        next_attempt_at=timezone.now(),
    )


def outbox_enqueue_many(items: list[tuple]) -> int:
    """Write many (message, key) pairs to the outbox in the current transaction: one query for
    the keys already there, one bulk insert (conflicting keys ignored). Returns how many rows
    were written. Side effects: the delivery task is queued when the transaction commits."""
    keys = [key for _message, key in items if key]
    taken = set()
    for start in range(0, len(keys), 500):
        taken |= set(
            OutboxMessage.objects.filter(key__in=keys[start : start + 500]).values_list(
                "key", flat=True
            )
        )
    rows, seen = [], set()
    for message, key in items:
        if not message.recipients() or (key and (key in taken or key in seen)):
            continue
        seen.add(key)
        rows.append(_row(message, key))
    OutboxMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
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


def outbox_message_build(row: OutboxMessage) -> EmailMultiAlternatives:
    """The EmailMessage that a row stands for, as it was queued."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    message.content_subtype = row.content_subtype
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    for attachment in row.attachments:
        message.attach(attachment["filename"], _decode(attachment), attachment["mimetype"])
    return message


def _due(now):
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, claimed_until__lt=now)
    )


def _claim(rows: list[OutboxMessage], now) -> list[OutboxMessage]:
    """Claim each row by compare-and-set on its claim token: a row taken by another worker
    meanwhile is skipped (works alike on SQLite and PostgreSQL, with any number of workers)."""
    claimed = []
    for row in rows:
        token = uuid.uuid4().hex
        updated = OutboxMessage.objects.filter(
            pk=row.pk, status=row.status, claim_token=row.claim_token
        ).update(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
        if updated:
            row.claim_token, row.attempts = token, row.attempts + 1
            claimed.append(row)
    return claimed


def _renew(row: OutboxMessage) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
            claimed_until=timezone.now() + _lease()
        )
    )


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _failed(row: OutboxMessage, error: Exception, now) -> str:
    permanent = _is_permanent(error) or row.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 10)
    OutboxMessage.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
        status=OutboxStatus.FAILED if permanent else OutboxStatus.PENDING,
        next_attempt_at=now + retry_delay(row.attempts),
        claimed_until=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return "failed" if permanent else "retried"


def outbox_deliver_due(*, limit: int = 500, batch_size: int = 50) -> dict:
    """Send up to `limit` due messages through `MAILERS["delivery"]`, one connection a batch.

    Returns the counts {"sent", "retried", "failed"}. Side effects: SMTP; each row is marked
    sent right after the server accepted it, or rescheduled with back-off, or failed for good."""
    counts = {"sent": 0, "retried": 0, "failed": 0}
    while sum(counts.values()) < limit:
        now = timezone.now()
        rows = list(_due(now).order_by("next_attempt_at", "pk")[:batch_size])
        if not rows:
            break
        claimed = _claim(rows, now)
        if not claimed:
            continue
        backend = mailers[DELIVERY_ALIAS]
        try:
            backend.open()
        except Exception as error:  # the server is down: every claimed row waits for a retry
            for row in claimed:
                counts[_failed(row, error, now)] += 1
            logger.warning("Mail server unavailable: %s", error)
            break
        try:
            for row in claimed:
                # Renew this row's lease just before sending it: a batch that takes longer than
                # one lease never has its later rows taken back (and sent twice) by another
                # sweep; a row another worker took back meanwhile is left to it.
                if not _renew(row):
                    continue
                try:
                    if not backend.send_messages([outbox_message_build(row)]):
                        raise smtplib.SMTPException("the backend sent nothing")
                except Exception as error:
                    counts[_failed(row, error, timezone.now())] += 1
                    continue
                OutboxMessage.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
                    status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None
                )
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
