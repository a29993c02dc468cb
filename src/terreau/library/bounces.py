"""Reading the mail server's reports: delivery status notifications (RFC 3464) and spam
complaints (ARF, RFC 5965), so that the newsletter stops writing to addresses that bounce."""

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import Message

_ADDRESS = re.compile(r"^\s*(?:rfc822\s*;)?\s*<?([^<>\s;]+@[^<>\s;]+)>?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Report:
    email: str
    complaint: bool
    reason: str


def _address(value: str | None) -> str:
    match = _ADDRESS.match(value or "")
    return match.group(1).lower() if match else ""


def _status_fields(part: Message) -> list[Message]:
    """The per-recipient field groups of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [item for item in payload if isinstance(item, Message)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(block) for block in re.split(r"\r?\n\r?\n", text) if block]


def parse_report(raw: bytes) -> list[Report]:
    """The permanent failures and complaints a message reports; [] for any other message
    (a temporary failure, an autoreply, something unparseable)."""
    try:
        message = email.message_from_bytes(raw[:5_000_000], policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - a malformed message is not a report
        return []
    if message.get_content_type() != "multipart/report":
        return []
    report_type = (message.get_param("report-type") or "").lower()
    reports: list[Report] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if report_type == "delivery-status" and content_type in {
            "message/delivery-status",
            "message/global-delivery-status",
        }:
            for fields in _status_fields(part):
                action = (fields.get("Action") or "").strip().lower()
                status = (fields.get("Status") or "").strip()
                address = _address(
                    fields.get("Final-Recipient") or fields.get("Original-Recipient")
                )
                if address and action == "failed" and status.startswith("5"):
                    diagnostic = " ".join((fields.get("Diagnostic-Code") or "").split())
                    reports.append(Report(address, False, f"{status} {diagnostic}".strip()))
        elif report_type == "feedback-report" and content_type == "message/feedback-report":
            for fields in _status_fields(part):
                address = _address(fields.get("Original-Rcpt-To"))
                kind = (fields.get("Feedback-Type") or "abuse").strip().lower()
                if address:
                    reports.append(Report(address, True, f"complaint: {kind}"))
    return reports
