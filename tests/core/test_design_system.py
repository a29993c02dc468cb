"""The design system's shared pieces: language links without a CSRF cookie, the error summary,
the filter panel, the header menu and the staff design page."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_pages_set_no_csrf_cookie(client):
    for url in ["/", reverse("library:resource_list"), reverse("directory:organisation_list")]:
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_language_switch_is_a_link_that_sets_the_language_and_returns(client):
    body = client.get(reverse("library:resource_list") + "?q=guide").content.decode()
    link = reverse("core:set_language", args=["en"]) + "?next=/ressources/%3Fq%3Dguide"
    assert f'href="{link}"' in body
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == "/ressources/?q=guide"
    assert response.cookies["django_language"].value == "en"
    assert "no-store" in response["Cache-Control"]
    assert 'lang="en"' in client.get("/").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_the_language_switch_never_redirects_off_site(client, next_url):
    response = client.get(reverse("core:set_language", args=["en"]), {"next": next_url})
    assert response["Location"] == "/"


def test_an_unknown_language_is_a_404(client):
    assert client.get("/langue/xx/").status_code == 404


def test_the_main_menu_names_every_section_and_marks_the_current_one(client):
    body = client.get(reverse("territories:territory_index")).content.decode()
    menu = body.split('id="site-nav"')[1].split("</nav>")[0]
    for label in ["Observatoire", "Événements", "Ressources", "Annuaire", "Territoires"]:
        assert label in menu
    assert re.search(r'href="/territoires/" aria-current="page"', menu)
    assert 'aria-controls="site-menu"' in body  # the phone menu folds account and language too
    tools = body.split('id="site-menu"')[1]
    assert "Se connecter" in tools.split('id="site-nav"')[0]


def test_the_footer_names_the_operator_and_the_legal_links(client, settings):
    settings.SITE_OPERATOR = "Centre de ressources Hauts-de-France"
    body = client.get("/").content.decode()
    footer = body.split("<footer")[1]
    assert "Centre de ressources Hauts-de-France" in footer
    for name in ["core:legal", "core:privacy", "core:accessibility"]:
        assert reverse(name) in footer


class SampleForm(forms.Form):
    name = forms.CharField(label="Nom")
    kind = forms.ChoiceField(label="Type", choices=[("a", "A")], widget=forms.RadioSelect)

    def clean(self):
        raise forms.ValidationError("Tout est faux.")


def test_the_error_summary_lists_each_error_as_a_link_to_its_field():
    form = SampleForm({})
    form.is_valid()
    request = RequestFactory().get("/")
    html = render_to_string("components/form.html", {"form": form}, request=request)
    assert html.count("data-error-summary") == 1
    summary = html.split("data-error-summary")[1].split("</div>")[0]
    assert "Tout est faux." in summary
    assert 'href="#id_name"' in summary and "Nom : " in summary
    assert 'href="#id_kind_0"' in summary  # a group of radios: its first choice
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_error"', html)
    assert "ci-dessous" not in html


def test_a_valid_form_has_no_summary():
    html = render_to_string("components/form.html", {"form": SampleForm()})
    assert "error-summary" not in html


def test_a_wrong_password_shows_one_summary(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "faux"})
    body = response.content.decode()
    assert body.count("data-error-summary") == 1
    assert "ci-dessous" not in body


def test_the_accounts_library_speaks_the_site_words(client, settings):
    body = client.get(reverse("account_login")).content.decode()
    assert "Connexion" not in body.split("<main")[1]
    client.get(reverse("core:set_language", args=["en"]))
    body = client.get(reverse("account_login")).content.decode()
    assert "Sign In" not in body and "Remember Me" not in body
    assert "Log in" in body


def test_the_filter_panel_submits_to_its_path_without_history_snapshots(client):
    body = client.get(reverse("library:resource_list") + "?q=guide&type=").content.decode()
    form = re.search(r'<form class="filters"[^>]*>', body).group(0)
    assert 'hx-get="/ressources/"' in form and 'action="/ressources/"' in form
    assert 'hx-history="false"' in form and "data-clean-query" in form
    assert 'value="guide"' in body


def test_a_history_restore_gets_the_whole_page(client):
    response = client.get(
        reverse("library:resource_list") + "?q=guide",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<main" in response.content.decode()


def test_the_design_page_is_for_staff(client, user, staff):
    assert client.get(reverse("core:design")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("core:design")).status_code == 302
    client.force_login(staff)
    body = client.get(reverse("core:design")).content.decode()
    assert "--color-primary" in body and "search-bar" in body and "error-summary" in body
