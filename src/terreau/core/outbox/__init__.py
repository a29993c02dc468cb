"""The e-mail outbox: every message is a row written in the transaction that causes it, then
delivered by the task worker with retries, leases and back-off.

How it is wired:
- `MAILERS["default"]` is `OutboxBackend`: Django's ordinary API (`send_mail`,
  `EmailMessage.send()`, allauth's mails) writes an `OutboxMessage` row in the caller's
  transaction and sends nothing; a request never waits on SMTP.
- When that transaction commits, the task `terreau.core.tasks.deliver_outbox` is queued; it
  claims due rows (compare-and-set on a claim token, so two workers never take the same row) and
  hands them to `MAILERS["delivery"]` (SMTP from `EMAIL_URL`).
- `terreau worker` (the task worker with a maintenance loop) also delivers every
  `OUTBOX_SWEEP_SECONDS`: messages whose claim lease expired (a worker killed mid-send) are
  taken back, messages that failed are retried with exponential back-off, and tasks left RUNNING
  by a killed worker are made ready again after `TASKS_LEASE_SECONDS`.
- Many copies of one message (a newsletter issue): `outbox_enqueue_copies` stores the shared
  body, parts and attachments once (`OutboxBody`) and one small row per recipient (address,
  headers, Message-ID, the values of the body's marks: their own links).
- Batches: a worker claims up to `batch_size` due rows in one compare-and-set UPDATE (one
  claim token, one lease), sends them over one connection and renews the batch's lease every
  `OUTBOX_RENEW_SECONDS` (30 s, or a third of the lease) while it sends.
- At most once, as far as SMTP allows: a row is marked sent right after the server accepted it;
  only a worker dying between the two can send it again, with the same Message-ID.
- Idempotent senders: a message may carry a key (`outbox_enqueue(message, key=...)` or the
  `X-Terreau-Outbox-Key` header); a second message with the same key is dropped. Messages sent
  from inside a task get a key derived from the task's id and content automatically, so a task
  re-run after a crash does not send its messages twice.
"""

from .services import (  # noqa: F401
    OUTBOX_KEY_HEADER,
    OutboxCopy,
    outbox_deliver_due,
    outbox_enqueue,
    outbox_enqueue_copies,
    outbox_retry,
    outbox_substitute,
    tasks_recover_stale,
)
