"""Text extraction of the library's attachments: N attachments (default 1,000: 60 % PDF of two
to six pages with a cover drawn from the first page, 30 % DOCX, 10 % ODT) extracted one after
the other by the worker's own function (`attachment_extract`: a reused child process with
its memory limit, a CPU and a time limit per file), then the resources' searchable text
refreshed. Prints the throughput, the wall time per file (median, p95) and the peak memory
(the worker's Python allocations, and the largest child's resident set). Throwaway SQLite
database and media folder.

    python bench/extraction.py
    N=200 python bench/extraction.py
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("TERREAU_DATA_DIR", tempfile.mkdtemp(prefix="terreau-bench-"))

import django  # noqa: E402

django.setup()

import resource as rlimits  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402

N = int(os.environ.get("N", "1000"))
PARAGRAPH = (
    "La participation des habitants au budget participatif du quartier a réuni des élus, "
    "des associations et des collectifs citoyens autour d'ateliers de concertation. "
)


def documents() -> list[tuple[str, bytes]]:
    """A few distinct documents of each type (drawing PDFs is not what is measured)."""
    from terreau.library.demo_files import docx, pdf_from_markdown
    from tests.files import odt_bytes

    pdfs = [
        pdf_from_markdown(
            "\n\n".join(f"## Partie {part}\n\n" + PARAGRAPH * 12 for part in range(pages * 2)),
            title=f"Compte rendu {pages}",
        )
        for pages in (1, 2, 3)
    ]
    odt = odt_bytes(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text>" + "".join(f"<text:p>{PARAGRAPH}</text:p>" for _ in range(40)) + ""
        "</office:text></office:body></office:document-content>"
    )
    files = []
    for number in range(N):
        slot = number % 10
        if slot < 6:
            files.append((f"document-{number}.pdf", pdfs[number % len(pdfs)]))
        elif slot < 9:
            files.append((f"document-{number}.docx", docx("Bulletin", [PARAGRAPH] * 40)))
        else:
            files.append((f"document-{number}.odt", odt))
    return files


def main():
    from terreau.library import extraction
    from terreau.library.models import Extraction, Resource, ResourceAttachment
    from terreau.library.services.resources import attachment_extract

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="terreau-bench-media-")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    files = documents()
    resources = Resource.objects.bulk_create(
        Resource(title=f"Ressource {n}", slug=f"ressource-{n}", kind="publication", summary="R")
        for n in range(max(1, N // 4))
    )
    attachments = []
    for number, (name, content) in enumerate(files):
        attachment = ResourceAttachment(
            resource=resources[number % len(resources)], title=name, position=number
        )
        attachment.file.save(name, ContentFile(content), save=False)
        attachments.append(attachment)
    ResourceAttachment.objects.bulk_create(attachments)
    attachments = list(ResourceAttachment.objects.select_related("resource").order_by("pk"))
    size = sum(len(content) for _name, content in files)
    print(
        f"{len(attachments)} attachments ({size / 1e6:.1f} MB) on {len(resources)} resources; "
        f"database {connection.vendor}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    tracemalloc.start()
    children = rlimits.getrusage(rlimits.RUSAGE_CHILDREN)
    cpu = time.process_time()
    times = []
    begin = time.perf_counter()
    for attachment in attachments:
        one = time.perf_counter()
        attachment_extract(attachment=attachment)
        times.append((time.perf_counter() - one) * 1000)
    wall = time.perf_counter() - begin
    worker_cpu = time.process_time() - cpu
    extraction.close_children()  # their CPU and memory count once they have ended
    after = rlimits.getrusage(rlimits.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    states = dict.fromkeys(Extraction.values, 0)
    for state in ResourceAttachment.objects.values_list("extraction", flat=True):
        states[state] += 1
    covers = ResourceAttachment.objects.exclude(thumbnail="").count()
    child_rss = rlimits.getrusage(rlimits.RUSAGE_CHILDREN).ru_maxrss / 1024
    text = sum(len(t) for t in Resource.objects.values_list("attachments_text", flat=True))
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    print(
        f"extracted in {wall:.1f} s: {len(attachments) / wall:.1f} files a second, "
        f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms per file",
        flush=True,
    )
    print(
        f"CPU: {child_cpu:.1f} s in the extraction children "
        f"({child_cpu / len(attachments) * 1000:.0f} ms a file, "
        f"{len(attachments) / child_cpu:.1f} files a second of CPU), "
        f"{worker_cpu:.1f} s in the worker",
        flush=True,
    )
    print(
        f"states {states}, {covers} PDF covers, {text / 1e6:.1f} M characters of searchable text",
        flush=True,
    )
    print(
        f"peak memory: worker's Python allocations {peak / 2**20:.1f} MiB, largest child "
        f"resident set {child_rss:.0f} MiB (limit "
        f"{getattr(settings, 'LIBRARY_EXTRACTION_MEMORY_BYTES', 768 * 2**20) / 2**20:.0f} MiB "
        f"of address space)",
        flush=True,
    )


if __name__ == "__main__":
    main()
