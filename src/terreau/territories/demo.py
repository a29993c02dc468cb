"""Demo data of the territories app: the Hauts-de-France geography and the seed's two zones.

The regional council's call for practice-exchange groups (seed 003) forms "two groups … roughly
matching the Est and Ouest zones of the Nord-Pas de Calais". The former Nord-Pas de Calais is
the départements of Nord (59) and Pas-de-Calais (62). We split it by whole EPCI (an
intercommunal body is never cut in two) at the meridian 2.9° E, comparing each EPCI's
population-weighted centre:

- Ouest (21 EPCI, 935 communes, 1.7 million people): the Côte d'Opale and Flandre intérieure
  (Dunkerque, Calais, Boulogne-sur-Mer, Saint-Omer, Hazebrouck), the Montreuillois and
  Ternois, the Artois (Béthune-Bruay, Lens-Liévin, Sud Artois) and the Arrageois;
- Est (15 EPCI, 599 communes, 2.4 million people): the Lille metropolis and Pévèle, Hénin-Carvin,
  Osartis, the Douaisis and Ostrevent, the Cambrésis, the Valenciennois and the Avesnois.

The line falls between Lens-Liévin and Hénin-Carvin, along the mining basin, so that each group
meets within reach of its members (the Est is denser: it holds the Lille metropolis). Why not
Nord / Pas-de-Calais: Dunkerque and Flandre (Nord) are the west coast, Arras and Lens
(Pas-de-Calais) are nearer Lille than Calais. Zones are plain lists of communes, so staff can
move a commune in the admin.
"""

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast

from . import fixture
from .models import Commune, Department
from .services import territories_load, zone_save

REGION = "32"
NORD_PAS_DE_CALAIS = ("59", "62")
SPLIT_LONGITUDE = 2.9

ZONES = {
    "ouest": (
        "Ouest",
        "Ouest du Nord-Pas de Calais : Côte d'Opale, Flandre intérieure, Audomarois, "
        "Montreuillois, Ternois, Artois (Béthune-Bruay, Lens-Liévin) et Arrageois. "
        "Zone du groupe d'échanges de pratiques « Ouest » de l'appel à candidatures du "
        "Conseil régional (2013).",
    ),
    "est": (
        "Est",
        "Est du Nord-Pas de Calais : Métropole lilloise, Hénin-Carvin, Douaisis, Cambrésis, "
        "Valenciennois et Avesnois. Zone du groupe d'échanges de pratiques « Est » de l'appel "
        "à candidatures du Conseil régional (2013).",
    ),
}


def epci_sides() -> dict[str, str]:
    """ "est" or "ouest" for each EPCI with communes in Nord or Pas-de-Calais."""
    weights = (
        Commune.objects.filter(department__in=NORD_PAS_DE_CALAIS, epci__isnull=False)
        .exclude(longitude=None)
        .values("epci_id")
        .annotate(
            people=Sum(Cast("population", FloatField())),
            moment=Sum(F("longitude") * Cast("population", FloatField())),
        )
    )
    return {
        row["epci_id"]: "ouest" if row["moment"] / row["people"] < SPLIT_LONGITUDE else "est"
        for row in weights
        if row["people"]
    }


def load(stdout=None) -> None:
    result = territories_load(payload=fixture.read(REGION))
    if stdout:
        stdout.write(result.summary())
    sides = epci_sides()
    members: dict[str, list[str]] = {"est": [], "ouest": []}
    for insee, epci_id, longitude in Commune.objects.filter(
        department__in=NORD_PAS_DE_CALAIS
    ).values_list("insee", "epci_id", "longitude"):
        side = sides.get(epci_id) or (
            "ouest" if longitude is not None and longitude < SPLIT_LONGITUDE else "est"
        )
        members[side].append(insee)
    for slug, (name, description) in ZONES.items():
        zone_save(slug=slug, name=name, description=description, communes=members[slug])
    if stdout:
        departments = ", ".join(
            str(d) for d in Department.objects.filter(code__in=NORD_PAS_DE_CALAIS)
        )
        stdout.write(
            f"Zones Est ({len(members['est'])} communes) and Ouest ({len(members['ouest'])} "
            f"communes) of {departments}."
        )
