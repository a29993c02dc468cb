"""Two people save the same section at the same moment, from the same version: real
requests from threads, each with its own database connection. Exactly one save wins; the
other gets the conflict view and nothing of either text is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from terreau.worksites.models import Section, SectionRevision

from .factories import world_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sqlite_file_database"),
]


def test_simultaneous_saves_from_one_version_one_wins_the_other_is_refused():
    world = world_create()
    url = reverse(
        "worksites:section_edit",
        kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug, "pk": world.section.pk},
    )
    base = world.section.version
    writers = [world.committee, world.participant, world.organiser]
    barrier = threading.Barrier(len(writers))
    results: list = [None] * len(writers)

    def worker(index: int, user) -> None:
        client = Client()
        try:
            client.force_login(user)
            barrier.wait()
            response = client.post(url, {"body": f"Texte de {index}", "base_version": base})
            results[index] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, u)) for i, u in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [status for status, _body in results]
    assert sorted(statuses) == [302, 409, 409]
    section = Section.objects.get(pk=world.section.pk)
    assert section.version == base + 1
    winner = statuses.index(302)
    assert section.body == f"Texte de {winner}"
    assert SectionRevision.objects.filter(section=section).count() == base + 1
    for index, (status, body) in enumerate(results):
        if status == 409:
            # The refused writer's own text is on the conflict page, next to the winner's.
            assert f"Texte de {index}" in body and f"Texte de {winner}" in body
