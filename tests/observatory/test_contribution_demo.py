"""The observatory's demo data: the seeds' initiatives, published with revisions, linked to
the directory, and one contribution waiting for a moderator."""

import importlib
import importlib.util
import io

import pytest

from terreau.observatory import demo
from terreau.observatory.models import (
    Initiative,
    InitiativeProposal,
    Method,
    ProposalState,
    PublicationState,
)

pytestmark = pytest.mark.django_db


def load_all():
    for name in ("accounts", "core", "territories", "directory", "observatory"):
        if importlib.util.find_spec(f"terreau.{name}.demo"):
            importlib.import_module(f"terreau.{name}.demo").load(stdout=io.StringIO())


def test_the_demo_publishes_the_seed_initiatives_and_can_run_twice(client):
    load_all()
    load_all()
    published = Initiative.objects.filter(state=PublicationState.PUBLISHED)
    assert published.count() == len(demo.INITIATIVES)
    titles = set(published.values_list("title", flat=True))
    for expected in ("Raismes 2032", "Etouvie", "Fives", "Moyembrie", "Rives en Rêves"):
        assert any(expected in title for title in titles), expected
    raismes = published.get(title__startswith="Raismes 2032")
    assert list(raismes.revisions.values_list("number", flat=True)) == [2, 1]
    assert raismes.participation_level == "co_construction"
    assert Method.objects.filter(state=PublicationState.PUBLISHED).count() == len(demo.METHODS)
    pending = InitiativeProposal.objects.get(state=ProposalState.SUBMITTED)
    assert "Sailly-lez-Lannoy" in pending.title
    for initiative in published:
        assert client.get(initiative.get_absolute_url()).status_code == 200


def test_demo_initiatives_link_the_directory_organisations_when_present():
    load_all()
    etouvie = Initiative.objects.get(title__contains="Etouvie")
    slugs = list(etouvie.lead_organisations.values_list("slug", flat=True))
    from terreau.directory.models import Organisation

    if Organisation.objects.filter(slug="centre-socio-culturel-etouvie").exists():
        assert slugs == ["centre-socio-culturel-etouvie"]
        assert etouvie.commune_id == "80021" or etouvie.commune_id is None
    else:
        assert slugs == []
