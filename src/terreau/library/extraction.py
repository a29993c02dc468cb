"""Text extraction and covers of the library's attachments, in a child process with limits.

The worker runs `extract_child` with a CPU-time limit, an address-space limit and a wall-clock
timeout: a zip bomb, a PDF that never ends or a 20,000 × 20,000 page kills the child, which is
reported as a failed extraction; the worker goes on.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.conf import settings

TIMEOUT_SECONDS = 30
CPU_SECONDS = 20
MEMORY_BYTES = 768 * 1024 * 1024
DOCUMENT_TYPES = frozenset({"pdf", "docx", "odt"})


@dataclass
class Extracted:
    text: str = ""
    cover: bytes | None = None
    error: str = ""


def _limits() -> None:  # runs in the child, before exec
    cpu = getattr(settings, "LIBRARY_EXTRACTION_CPU_SECONDS", CPU_SECONDS)
    memory = getattr(settings, "LIBRARY_EXTRACTION_MEMORY_BYTES", MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def extract(path: str, *, cover: bool = True) -> Extracted:
    """The text (and, for a PDF, a cover PNG) of the document at `path`."""
    with tempfile.TemporaryDirectory() as directory:
        cover_path = os.path.join(directory, "cover.png") if cover else ""
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "terreau.library.extract_child", path, cover_path],
                capture_output=True,
                timeout=getattr(settings, "LIBRARY_EXTRACTION_TIMEOUT", TIMEOUT_SECONDS),
                preexec_fn=_limits,  # noqa: PLW1509 - no threads hold locks the child needs
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Extracted(error="timeout")
        if completed.returncode != 0:
            return Extracted(error=f"the extraction stopped (limits, code {completed.returncode})")
        try:
            result = json.loads(completed.stdout.decode("utf-8", "replace") or "{}")
        except ValueError:
            return Extracted(error="unreadable extraction output")
        if result.get("error"):
            return Extracted(error=str(result["error"])[:300])
        picture = None
        if result.get("cover") and os.path.exists(cover_path):
            with open(cover_path, "rb") as handle:
                picture = handle.read()
        return Extracted(text=str(result.get("text", "")), cover=picture)
