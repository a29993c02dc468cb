"""Worksites: building a publication of 30 cases × ~5 pages (web, PDF, EPUB) — wall time and
peak memory —, the report page with 200 revisions and 300 comments (p95), and saving a section
(p95), on a throwaway database (SQLite in memory, or the test database of DATABASE_URL's
server). Budgets: build ≤ 60 s and ≤ 500 MB; report page p95 ≤ 100 ms; section save p95 ≤ 50 ms.
DEBUG off, as in production; PARTS=report,save leaves the build out.

    python bench/worksites.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau_worksites python bench/worksites.py
"""

import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
# Production-like: DEBUG off (cached templates, no query log), a throwaway key.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="terreau-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

PRESENTATION = ("context", "choices", "ways_of_working", "meeting_population", "territory")
CASES = int(os.environ.get("CASES", "30"))
RUNS = int(os.environ.get("RUNS", "40"))
#: What to measure: PARTS=report,save skips the publication's build.
PARTS = set(os.environ.get("PARTS", "build,report,save").split(","))
PARAGRAPH = (
    "Les habitants du quartier se réunissent chaque mois : ils disent ce qui les préoccupe, "
    "choisissent ensemble une question et la portent auprès des élus ; les professionnels du "
    "centre social se mettent en retrait, mais restent garants de la parole de chacun. "
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def build_world():
    from terreau.accounts.models import User
    from terreau.directory.models import Organisation, Person
    from terreau.worksites import services
    from terreau.worksites.models import ReportStatus

    user = User.objects.create_user("bench@example.org", "x", first_name="Banc", last_name="Essai")
    person = Person.objects.create(user=user, first_name="Banc", last_name="Essai", slug="banc")
    convener = Organisation.objects.create(
        name="Espace de coopération", slug="espace", kind="public_body"
    )
    worksite = services.worksite_create(
        question="Initiatives citoyennes et débat public",
        starts_on=dt.date(2015, 10, 1),
        ends_on=dt.date(2016, 1, 31),
        convener=convener,
    )
    services.committee_member_add(worksite=worksite, person=person, role="chair")
    for number in range(1, CASES + 1):
        lead = Organisation.objects.create(
            name=f"Structure {number}", slug=f"s-{number}", kind="association"
        )
        case = services.case_create(
            worksite=worksite, title=f"Cas numéro {number} : une expérience", lead_organisation=lead
        )
        # About five A4 pages per case: a presentation and three sections of the report.
        services.case_presentation_update(
            case=case,
            fields=dict.fromkeys(
                ("context", "choices", "ways_of_working", "meeting_population", "territory"),
                (PARAGRAPH * 2 + "\n\n") * 2,
            ),
        )
        for section in case.report.sections.all():
            body = "\n\n".join(
                [
                    f"## Partie {k}\n\n" + PARAGRAPH * 3 + "\n\n- un point ;\n- un autre ?"
                    for k in range(4)
                ]
            )
            services.section_save(section=section, body=body, base_version=0, by=user)
        services.report_set_status(report=case.report, status=ReportStatus.IN_REVIEW)
        services.report_set_status(report=case.report, status=ReportStatus.VALIDATED, by=user)
    for k in range(4):
        services.synthesis_save(worksite=worksite, group_name=f"Groupe {k}", body=PARAGRAPH * 4)
    return worksite, user


def bench_build(worksite):
    from terreau.worksites.models import Edition
    from terreau.worksites.publication import edition_build

    edition = Edition.objects.create(publication=worksite.publication, number=1)
    before = rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    edition = edition_build(edition=edition)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert edition.is_ready, edition.step
    sizes = {
        kind: getattr(edition, f"{kind}_file").size // 1024 for kind in ("html", "pdf", "epub")
    }
    print(
        f"publication, {CASES} cases: {edition.pdf_pages} PDF pages, built in {wall:.1f} s "
        f"(CPU {cpu:.1f} s); peak RSS {rss_mb():.0f} MB (before {before:.0f} MB); "
        f"sizes KB {sizes}"
    )


def bench_report_page(worksite, user):
    from terreau.worksites import services
    from terreau.worksites.models import Comment, SectionRevision

    case = worksite.cases.first()
    section = case.report.sections.first()
    SectionRevision.objects.bulk_create(
        SectionRevision(section=section, version=v, body=section.body + f" v{v}", author=user)
        for v in range(2, 202)
    )
    section.version = 201
    section.save(update_fields=["version"])
    comments = Comment.objects.bulk_create(
        Comment(section=s, author=user, body=f"Commentaire {i}", quote="habitants", start=4, end=13)
        for i, s in enumerate(list(case.report.sections.all()) * 80)
        if i < 200
    )
    Comment.objects.bulk_create(
        Comment(section=c.section, parent=c, author=user, body="Réponse") for c in comments[:100]
    )
    services.report_set_status(report=case.report, status="draft")
    services.suggestion_add(section=section, quote="habitants", replacement="habitant·es", by=user)
    client = Client()
    client.force_login(user)
    url = f"/chantiers/{worksite.slug}/cas/{case.slug}/compte-rendu/"
    queries = []
    with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
        assert client.get(url).status_code == 200
    times, cpus = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"report page, 200 revisions + 300 comments: wall p95 {p95(times):.1f} ms "
        f"(median {statistics.median(times):.1f}), CPU p95 {p95(cpus):.1f} ms "
        f"(median {statistics.median(cpus):.1f}), {len(queries)} queries"
    )
    return client, case, section


def bench_section_save(client, worksite, case, section):
    from terreau.worksites.models import Section

    url = f"/chantiers/{worksite.slug}/cas/{case.slug}/compte-rendu/sections/{section.pk}/"
    times, cpus = [], []
    for run in range(RUNS):
        current = Section.objects.get(pk=section.pk)
        data = {"body": current.body + f"\n\nAjout {run}.", "base_version": current.version}
        start, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, data)
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 302, response.status_code
    print(
        f"section save (HTTP, its open comments re-anchored): wall p95 {p95(times):.1f} ms "
        f"(median {statistics.median(times):.1f}), CPU p95 {p95(cpus):.1f} ms "
        f"(median {statistics.median(cpus):.1f})"
    )


def main():
    setup_test_environment()  # e-mails kept in memory while the world is built
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(
            f"{connection.vendor}; DEBUG {settings.DEBUG}; load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
        )
        start = time.perf_counter()
        worksite, user = build_world()
        took = time.perf_counter() - start
        print(f"{connection.vendor}: {CASES} validated cases built in {took:.1f} s")
        if "build" in PARTS:
            bench_build(worksite)
        # Pages rendered as in production: no test instrumentation of the templates.
        teardown_test_environment()
        settings.ALLOWED_HOSTS = ["*"]
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        client, case, section = bench_report_page(worksite, user)
        if "save" in PARTS:
            bench_section_save(client, worksite, case, section)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
