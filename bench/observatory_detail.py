"""Server time of the observatory's detail, history and moderation pages and of publishing a
contribution, with 20,000 published initiatives (N=… to change), on a throwaway database
(SQLite in memory, or the test database of DATABASE_URL's server).

    python bench/observatory_detail.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau python bench/observatory_detail.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

N = int(os.environ.get("N", "20000"))
RUNS = int(os.environ.get("RUNS", "40"))


def timed(label, function, runs=RUNS):
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    print(f"{label:<48} median {statistics.median(durations):7.1f} ms   p95 {p95:7.1f} ms")


def build():
    from django.contrib.auth import get_user_model

    from terreau.core.models import Theme
    from terreau.observatory.models import FacilitationFormat, Initiative, PublicationState
    from terreau.territories.models import Department, Region

    rng = random.Random(2026)
    region = Region.objects.create(code="32", name="Hauts-de-France")
    departments = [
        Department.objects.create(code=code, name=name, region=region)
        for code, name in [("02", "Aisne"), ("59", "Nord"), ("60", "Oise"), ("62", "PdC")]
    ]
    themes = [Theme.objects.create(name=f"Thème {i}", slug=f"theme-{i}") for i in range(30)]
    formats = [
        FacilitationFormat.objects.create(name=f"Format {i}", slug=f"format-{i}") for i in range(14)
    ]
    now = timezone.now()
    Initiative.objects.bulk_create(
        (
            Initiative(
                title=f"Initiative {i}",
                slug=f"initiative-{i}",
                summary="Les habitants prennent la parole.",
                description="Une **assemblée** ouverte. " * 20,
                lessons="Aller vers. " * 20,
                state=PublicationState.PUBLISHED,
                department=rng.choice(departments),
                published_at=now,
            )
            for i in range(N)
        ),
        batch_size=2000,
    )
    ids = list(Initiative.objects.values_list("pk", flat=True))
    themes_through = Initiative.themes.through
    formats_through = Initiative.facilitation_formats.through
    themes_through.objects.bulk_create(
        (
            themes_through(initiative_id=pk, theme_id=theme.pk)
            for pk in ids
            for theme in rng.sample(themes, 2)
        ),
        batch_size=5000,
    )
    formats_through.objects.bulk_create(
        (
            formats_through(initiative_id=pk, facilitationformat_id=rng.choice(formats).pk)
            for pk in ids
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    moderator = get_user_model().objects.create_user(
        "moderation@example.org", "x", is_moderator=True
    )
    return Initiative.objects.get(slug=f"initiative-{N // 2}"), moderator


def main():
    setup_test_environment()
    import logging

    logging.disable(logging.INFO)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from terreau.observatory.services import proposals
        from terreau.observatory.services.revisions import initiative_save_revision

        start = time.perf_counter()
        initiative, moderator = build()
        print(f"{connection.vendor}: {N} initiatives built in {time.perf_counter() - start:.1f} s")
        for number in range(20):
            initiative_save_revision(
                initiative=initiative,
                data={"summary": f"Version {number}"},
                author=moderator,
                publisher=moderator,
            )
        client = Client()
        url = initiative.get_absolute_url()
        client.get(url)
        timed("detail page (anonymous)", lambda: client.get(url))
        client.force_login(moderator)
        timed("detail page (moderator)", lambda: client.get(url))
        timed("history page (21 revisions)", lambda: client.get(url + "historique/"), runs=10)

        def propose_and_publish():
            proposal = proposals.proposal_create(author=moderator, initiative=initiative)
            proposals.proposal_save_step(
                proposal=proposal, step=1, data={"summary": f"Modifié {time.time()}"}
            )
            proposals.proposal_submit(proposal=proposal)
            proposals.proposal_publish(proposal=proposal, moderator=moderator)

        timed("edit proposed, submitted and published", propose_and_publish, runs=20)
        timed("moderation queue", lambda: client.get("/observatoire/moderation/"), runs=10)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
