"""Views: the edit conflict between two real requests, the live preview, sanitised Markdown,
messages for refused input, and constant query counts on list pages."""

import pytest
from django.test import Client
from django.urls import reverse

from terreau.worksites import services
from terreau.worksites.models import Comment

from .factories import case_create, worksite_create, world_create

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_url(world):
    return reverse(
        "worksites:section_edit",
        kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug, "pk": world.section.pk},
    )


def test_two_people_saving_the_same_version_the_second_sees_a_three_way_view(world):
    alice, bob = _login(world.committee), _login(world.participant)
    url = _edit_url(world)
    base = alice.get(url).context["form"]["base_version"].value()
    assert bob.get(url).context["form"]["base_version"].value() == base
    original = world.section.body
    first = alice.post(url, {"body": original + "\n\nAjout d'Alice.", "base_version": base})
    assert first.status_code == 302
    second = bob.post(url, {"body": "Bob réécrit.\n" + original, "base_version": base})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Ajout d&#x27;Alice." in page and "Bob réécrit." in page
    merged = second.context["form"]["body"].value()
    assert "Bob réécrit." in merged and "Ajout d'Alice." in merged
    world.section.refresh_from_db()
    assert "Bob" not in world.section.body
    new_base = second.context["form"]["base_version"].value()
    third = bob.post(url, {"body": merged, "base_version": new_base})
    assert third.status_code == 302
    world.section.refresh_from_db()
    assert "Bob réécrit." in world.section.body and "Ajout d'Alice." in world.section.body


def test_a_conflict_on_the_same_line_is_marked_for_merging(world):
    client = _login(world.committee)
    url = _edit_url(world)
    base = world.section.version
    client.post(url, {"body": "Version A", "base_version": base})
    response = client.post(url, {"body": "Version B", "base_version": base})
    merged = response.context["form"]["body"].value()
    assert "<<<<<<<" in merged and "Version A" in merged and "Version B" in merged


def test_editing_a_validated_report_is_refused_with_a_message(world):
    services.report_set_status(report=world.report, status="in_review")
    services.report_set_status(report=world.report, status="validated")
    response = _login(world.committee).post(
        _edit_url(world), {"body": "x", "base_version": world.section.version}
    )
    assert response.status_code == 200
    assert "validé" in response.content.decode()
    world.section.refresh_from_db()
    assert world.section.body != "x"


def test_markdown_with_script_raw_html_and_remote_images_is_sanitised(world):
    body = (
        'Texte <script>alert(1)</script> <div onclick="x()">brut</div>\n\n'
        "![pixel](https://tracker.example/p.png) [lien](javascript:alert(1))"
    )
    services.section_save(section=world.section, body=body, base_version=world.section.version)
    client = _login(world.participant)
    page = client.get(
        reverse(
            "worksites:report", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug}
        )
    ).content.decode()
    assert "<script>alert" not in page and "onclick" not in page
    assert "tracker.example" not in page and "javascript:alert" not in page
    preview = client.post(
        _edit_url(world).rstrip("/") + "/apercu/", {"body": body}
    ).content.decode()
    assert "<script" not in preview and "<img" not in preview and "onclick" not in preview


def test_the_live_preview_renders_markdown(world):
    response = _login(world.participant).post(
        _edit_url(world).rstrip("/") + "/apercu/", {"body": "**gras**"}
    )
    assert response.content.decode().strip() == "<p><strong>gras</strong></p>"


def test_a_comment_on_a_missing_passage_is_refused_with_a_message(world):
    url = reverse(
        "worksites:comment_add",
        kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug, "pk": world.section.pk},
    )
    response = _login(world.participant).post(
        url, {"quote": "introuvable", "body": "?"}, follow=True
    )
    assert not Comment.objects.exists()
    assert "plus" in response.content.decode() or "no longer" in response.content.decode()


def test_a_comment_whose_passage_is_gone_says_so_on_the_report(world):
    services.comment_add(
        section=world.section, body="Qui ?", quote="parole collective", by=world.participant
    )
    services.section_save(
        section=world.section, body="Autre chose", base_version=world.section.version
    )
    page = _login(world.participant).get(
        reverse(
            "worksites:report", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug}
        )
    )
    assert page.context["sections"][0].open_threads[0]["is_passage_gone"]
    assert "parole collective" in page.content.decode()


def test_bad_ids_are_404_not_500(world):
    client = _login(world.committee)
    kwargs = {"slug": world.worksite.slug, "case_slug": world.case.slug, "pk": 99999999}
    assert client.get(reverse("worksites:section_edit", kwargs=kwargs)).status_code == 404
    url = reverse("worksites:pooling", kwargs={"slug": world.worksite.slug}) + "?synthesis=abc"
    assert client.get(url).status_code == 404
    edit = _edit_url(world)
    assert (
        client.post(edit, {"body": "x", "base_version": "99999999999999999999"}).status_code == 200
    )
    assert client.post(edit, {"body": "a\x00b", "base_version": "1"}).status_code == 200


def test_the_registrant_mix_shows_the_shares_against_the_target(world):
    response = _login(world.organiser).get(
        reverse("worksites:mix", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug})
    )
    rows = {row.category: row for row in response.context["rows"]}
    assert rows["elected"].count == 1 and rows["elected"].target == 25
    assert rows["public_staff"].count == 0 and rows["public_staff"].is_short


def test_the_bulletin_lists_the_event_questions(world):
    import io

    from pypdf import PdfReader

    from tests.events.factories import QuestionFactory

    QuestionFactory(event=world.case.workshop, label="Viendrez-vous au repas", kind="yes_no")
    response = Client().get(
        reverse(
            "worksites:bulletin", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug}
        )
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Viendrez-vous au repas" in text and world.case.workshop.title in text


def _report_queries(django_assert_num_queries, world, client, url):
    client.get(url)  # warm the session and the roles
    with django_assert_num_queries(_count(client, url)):
        client.get(url)


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_the_report_page_runs_the_same_queries_for_one_or_three_threads(world):
    client = _login(world.participant)
    url = reverse(
        "worksites:report", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug}
    )
    services.comment_add(section=world.section, body="Un", quote="parole", by=world.participant)
    one = _count(client, url)
    for index in range(2):
        parent = services.comment_add(section=world.section, body=f"C{index}", by=world.committee)
        services.comment_add(section=world.section, body="r", parent=parent, by=world.participant)
        services.suggestion_add(
            section=world.section, quote="parole", replacement=f"voix {index}", by=world.participant
        )
        services.section_save(
            section=world.section,
            body=world.section.body + " x",
            base_version=world.section.version,
        )
    assert _count(client, url) == one


def test_list_pages_run_the_same_queries_for_one_or_three_items(db):
    worksite = worksite_create()
    case_create(worksite)
    staff_like = world_create()
    client = _login(staff_like.committee)
    workspace = reverse("worksites:workspace", kwargs={"slug": staff_like.worksite.slug})
    pages = [
        reverse("worksites:list"),
        reverse("worksites:detail", kwargs={"slug": staff_like.worksite.slug}),
        workspace,
    ]
    before = [_count(client, url) for url in pages]
    worksite_create(question="Deuxième")
    worksite_create(question="Troisième")
    case_create(staff_like.worksite)
    case_create(staff_like.worksite)
    assert [_count(client, url) for url in pages] == before


def test_the_theme_gathering_runs_the_same_queries_for_one_or_three_tags(world):
    client = _login(world.committee)
    url = reverse("worksites:themes", kwargs={"slug": world.worksite.slug})
    theme = services.theme_create(worksite=world.worksite, name="Un")
    services.theme_tag_add(theme=theme, section=world.section, quote="parole", by=world.committee)
    one = _count(client, url)
    other = case_create(world.worksite)
    section = other.report.sections.first()
    services.section_save(section=section, body="La parole encore", base_version=0)
    services.theme_tag_add(theme=theme, section=section, quote="parole", by=world.committee)
    services.theme_tag_add(
        theme=services.theme_create(worksite=world.worksite, name="Deux"),
        section=section,
        quote="encore",
        by=world.committee,
    )
    assert _count(client, url) == one


def test_the_report_page_shows_the_first_threads_and_links_to_the_whole_discussion(world):
    from terreau.worksites.selectors import THREADS_SHOWN

    for index in range(THREADS_SHOWN + 2):
        services.comment_add(section=world.section, body=f"Fil {index}", by=world.participant)
    resolved = services.comment_add(section=world.section, body="Réglé", by=world.participant)
    services.comment_resolve(comment=resolved, by=world.committee)
    client = _login(world.participant)
    kwargs = {"slug": world.worksite.slug, "case_slug": world.case.slug}
    page = client.get(reverse("worksites:report", kwargs=kwargs))
    section = page.context["sections"][0]
    assert len(section.open_threads) == THREADS_SHOWN and section.open_count == THREADS_SHOWN + 2
    discussion = reverse("worksites:section_comments", kwargs={**kwargs, "pk": world.section.pk})
    assert discussion in page.content.decode()
    whole = client.get(discussion)
    threads = list(whole.context["page_obj"])
    assert len(threads) == THREADS_SHOWN + 3 and threads[-1]["body"] == "Réglé"


def test_threads_show_their_replies_authors_and_buttons_on_both_pages(world):
    thread = services.comment_add(section=world.section, body="Une question", by=world.participant)
    services.comment_add(
        section=world.section, body="Une réponse précise", parent=thread, by=world.committee
    )
    kwargs = {"slug": world.worksite.slug, "case_slug": world.case.slug}
    resolve = reverse("worksites:comment_resolve", kwargs={**kwargs, "comment_id": thread.pk})
    discussion = reverse("worksites:section_comments", kwargs={**kwargs, "pk": world.section.pk})
    for url in (reverse("worksites:report", kwargs=kwargs), discussion):
        text = _login(world.participant).get(url).content.decode()
        assert "Une question" in text and "Une réponse précise" in text
        assert str(world.committee) in text and str(world.participant) in text
        assert resolve in text  # the author may resolve their own thread
    services.comment_resolve(comment=thread, by=world.committee)
    text = _login(world.participant).get(discussion).content.decode()
    assert str(world.committee) in text.split("Une question")[1]  # resolved by


def test_the_report_page_shows_the_new_text_of_a_section_once_saved(world):
    client = Client()
    client.force_login(world.committee)
    url = reverse(
        "worksites:report", kwargs={"slug": world.worksite.slug, "case_slug": world.case.slug}
    )
    assert "parole collective" in client.get(url).content.decode()
    services.section_save(
        section=world.section,
        body="Un **texte** neuf.",
        base_version=world.section.version,
        by=world.committee,
    )
    body = client.get(url).content.decode()
    assert "<strong>texte</strong> neuf" in body and "parole collective" not in body


def test_a_thread_escapes_what_its_writers_typed_on_both_pages(world):
    thread = services.comment_add(
        section=world.section, body='<b>gras</b>\n"ligne"', by=world.participant
    )
    services.comment_add(section=world.section, body="<i>r</i>", parent=thread, by=world.committee)
    kwargs = {"slug": world.worksite.slug, "case_slug": world.case.slug}
    discussion = reverse("worksites:section_comments", kwargs={**kwargs, "pk": world.section.pk})
    for url in (reverse("worksites:report", kwargs=kwargs), discussion):
        text = _login(world.participant).get(url).content.decode()
        assert "&lt;b&gt;gras&lt;/b&gt;<br>&quot;ligne&quot;" in text and "<b>gras" not in text
        assert "&lt;i&gt;r&lt;/i&gt;" in text and f'id="comment-{thread.pk}"' in text
        assert 'name="csrfmiddlewaretoken"' in text.split(f'id="comment-{thread.pk}"')[1]
