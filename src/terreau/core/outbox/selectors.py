"""Reads of the outbox for staff: counts by state and the messages that failed for good."""

from django.db.models import Count

from .models import OutboxMessage, OutboxStatus


def outbox_counts() -> dict[str, int]:
    counts = dict.fromkeys(OutboxStatus.values, 0)
    for row in OutboxMessage.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def outbox_failed_list():
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
        .order_by("-next_attempt_at")[:200]
        .only("pk", "to", "subject", "attempts", "last_error", "created_at", "next_attempt_at")
    )
