"""Factories for the library: resources and their attachments."""

import datetime as dt

import factory

from terreau.library.models import (
    ContentKind,
    Issue,
    IssueItem,
    Need,
    Resource,
    ResourceKind,
    ResourceState,
    Subscriber,
    SubscriberState,
)


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


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    state = SubscriberState.CONFIRMED

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    subject = factory.Sequence(lambda n: f"Lettre n° {n}")
    introduction = "Bonjour à toutes et à tous."


class IssueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueItem

    issue = factory.SubFactory(IssueFactory)
    kind = ContentKind.NEWS
    title = factory.Sequence(lambda n: f"Actualité {n}")
    summary = "Une nouvelle du réseau."
    url = "http://testserver/ressources/une-actualite/"
    theme_ids = factory.LazyFunction(list)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Comment relancer le projet {n} ?")
    slug = factory.Sequence(lambda n: f"besoin-{n}")
    author_name = "Camille"

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)
