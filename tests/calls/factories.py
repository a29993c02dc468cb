"""Factories for the calls app."""

import datetime as dt

import factory
from django.utils import timezone

from terreau.calls.models import (
    Application,
    ApplicationState,
    Call,
    CallKind,
    Criterion,
    Family,
    Question,
    QuestionKind,
    ReviewPhase,
)

SCALE = [[0, "insuffisant"], [1, "moyen"], [2, "bien"], [3, "très bien"]]


class CallKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallKind
        django_get_or_create = ("slug",)

    name = "Groupe d'échanges de pratiques"
    slug = "echange"
    family = Family.EXCHANGE_GROUP


class CallFactory(factory.django.DjangoModelFactory):
    """An open, published call (opened ten days ago, closes in ten days)."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    kind = factory.SubFactory(CallKindFactory)
    title = factory.Sequence(lambda n: f"Appel {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    body = "Texte de l'appel."
    is_published = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    places = 4


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    kind = QuestionKind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Question {n}")
    position = factory.Sequence(int)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Critère {n}")
    weight = 1
    score_values = SCALE


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory("tests.factories.UserFactory")
    applicant_name = factory.LazyAttribute(
        lambda o: f"{o.applicant.first_name} {o.applicant.last_name}" if o.applicant else "Candidat"
    )
    applicant_email = factory.LazyAttribute(
        lambda o: o.applicant.email if o.applicant else "candidat@example.org"
    )
    state = ApplicationState.DRAFT


class ReviewPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPhase

    call = factory.SubFactory(CallFactory)
    name = "Évaluation"
    is_active = True
    may_review = True
