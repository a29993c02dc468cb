"""The site shell: home, legal pages, styled errors, language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_network_offer(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#contenu"' in body
    assert '<main id="contenu"' in body
    assert 'lang="fr"' in body


@pytest.mark.parametrize("name", ["core:legal", "core:privacy", "core:accessibility"])
def test_footer_pages_answer(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_unknown_url_gives_a_styled_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Page not found" in client.get("/nowhere/").content.decode()


def test_home_sections_without_items_show_no_list(client):
    from terreau.core.selectors import home_summary

    for section in home_summary()["home_sections"]:
        assert not isinstance(section["items"], type({}.items))
    assert "('key'," not in client.get(reverse("core:home")).content.decode()
