"""Factories for the library: resources and their attachments."""

import datetime as dt

import factory

from terreau.library.models import Resource, ResourceKind, ResourceState


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = ResourceKind.PUBLICATION
    title = factory.Sequence(lambda n: f"Ressource {n}")
    slug = factory.Sequence(lambda n: f"ressource-{n}")
    summary = "Un document du réseau."
    published_on = dt.date(2021, 6, 1)
    state = ResourceState.PUBLISHED

    class Params:
        draft = factory.Trait(state=ResourceState.DRAFT)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.set(extracted)
