"""The demo geography: Hauts-de-France and the seed's Est / Ouest zones."""

from terreau.territories import demo
from terreau.territories.models import Commune, Zone
from terreau.territories.selectors import commune_zones


def test_the_demo_loads_the_region_and_splits_nord_pas_de_calais_into_est_and_ouest(db):
    demo.load()
    demo.load()  # idempotent
    assert Commune.objects.count() == 3782
    est, ouest = Zone.objects.get(slug="est"), Zone.objects.get(slug="ouest")
    nord_pas_de_calais = Commune.objects.filter(department__in=["59", "62"]).count()
    assert est.communes.count() + ouest.communes.count() == nord_pas_de_calais
    assert not est.communes.filter(zones=ouest).exists()
    assert not est.communes.exclude(department__in=["59", "62"]).exists()
    for insee, zone in [("59350", est), ("59491", est), ("59522", est), ("62510", ouest),
                        ("62041", ouest), ("59183", ouest)]:  # fmt: skip
        assert commune_zones(Commune.objects.get(insee=insee)) == [zone], insee
    # Whole EPCI: Lens-Liévin is entirely in the Ouest.
    assert not Commune.objects.filter(epci__name="CA de Lens - Liévin", zones=est).exists()


def test_the_synthetic_data_set_gets_the_real_communes_once(db):
    import random

    from terreau.territories import dataset

    dataset.generate(scale="small", rng=random.Random(1))
    assert Commune.objects.count() == 3782
    Commune.objects.filter(insee="62510").update(population=1)
    dataset.generate(scale="small", rng=random.Random(1))  # already there: left alone
    assert Commune.objects.get(insee="62510").population == 1
