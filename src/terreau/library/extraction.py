"""Text extraction and covers of the library's attachments, in child processes with limits.

The worker hands each document to a child (`extract_child --serve`) that it reuses from one
document to the next (starting Python and importing pypdf for each file was most of the cost),
under an address-space limit for its whole life, a CPU-time limit per document and a
wall-clock timeout per document: a zip bomb, a PDF that never ends or a 20,000 × 20,000 page
kills the child (or, past the timeout, the worker kills it), which is reported as a failed
extraction; a new child takes the next document. A child is also replaced after
`MAX_DOCUMENTS_PER_CHILD` documents or any failed one, so that nothing a document left in its
memory outlives it for long.
"""

import contextlib
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from django.conf import settings

TIMEOUT_SECONDS = 30
CPU_SECONDS = 20
MEMORY_BYTES = 768 * 1024 * 1024
MAX_DOCUMENTS_PER_CHILD = 200
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # 1,000,000 characters of text, JSON-escaped
DOCUMENT_TYPES = frozenset({"pdf", "docx", "odt"})


@dataclass
class Extracted:
    text: str = ""
    cover: bytes | None = None
    error: str = ""


def _limits() -> None:  # runs in the child, before exec
    memory = getattr(settings, "LIBRARY_EXTRACTION_MEMORY_BYTES", MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Child:
    """One extraction child process, reused for many documents, one at a time."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "terreau.library.extract_child", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_limits,  # noqa: PLW1509 - no threads hold locks the child needs
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        self.documents = 0

    @property
    def is_alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict, timeout: float) -> dict:
        """The child's answer to one request, or {"error": …} when it died or ran out of time
        (it is then killed)."""
        self.documents += 1
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._died()
        deadline = time.monotonic() + timeout
        output = self.process.stdout.fileno()
        answer = bytearray()
        while not answer.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([output], [], [], remaining)[0]:
                self.close()
                return {"error": "timeout"}
            chunk = os.read(output, 1 << 16)
            if not chunk:
                return self._died()
            answer += chunk
            if len(answer) > MAX_ANSWER_BYTES:
                self.close()
                return {"error": "the extraction answered too much"}
        try:
            return json.loads(answer.decode("utf-8", "replace"))
        except ValueError:
            self.close()
            return {"error": "unreadable extraction output"}

    def _died(self) -> dict:
        code = self.process.wait()
        return {"error": f"the extraction stopped (limits, code {code})"}

    def close(self) -> None:
        if self.is_alive:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


_idle: list[Child] = []
_idle_lock = threading.Lock()


def _take() -> Child:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.is_alive:
                return child
            child.close()
    return Child()


def _give_back(child: Child, *, failed: bool) -> None:
    if failed or not child.is_alive or child.documents >= MAX_DOCUMENTS_PER_CHILD:
        child.close()
        return
    with _idle_lock:
        _idle.append(child)


def close_children() -> None:
    """End the idle children (their limits are read from the settings when they start)."""
    with _idle_lock:
        children, _idle[:] = list(_idle), []
    for child in children:
        child.close()


def extract(path: str, *, cover: bool = True) -> Extracted:
    """The text (and, for a PDF, a cover PNG) of the document at `path`."""
    with tempfile.TemporaryDirectory() as directory:
        cover_path = os.path.join(directory, "cover.png") if cover else ""
        request = {
            "path": path,
            "cover_path": cover_path,
            "cpu_seconds": getattr(settings, "LIBRARY_EXTRACTION_CPU_SECONDS", CPU_SECONDS),
        }
        child = _take()
        try:
            result = child.ask(
                request, getattr(settings, "LIBRARY_EXTRACTION_TIMEOUT", TIMEOUT_SECONDS)
            )
        except BaseException:
            child.close()
            raise
        if not isinstance(result, dict):
            result = {"error": "unreadable extraction output"}
        _give_back(child, failed=bool(result.get("error")))
        if result.get("error"):
            return Extracted(error=str(result["error"])[:300])
        picture = None
        if result.get("cover") and os.path.exists(cover_path):
            with open(cover_path, "rb") as handle:
                picture = handle.read()
        return Extracted(text=str(result.get("text", "")), cover=picture)
