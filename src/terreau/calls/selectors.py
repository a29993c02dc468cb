"""Reads of the calls app: the public lists, a call's timeline, an applicant's applications,
the staff table with review aggregates, the categories a selection can use, and the
candidates handed to the pure selection module."""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CATEGORY_KINDS,
    IN_COMPETITION,
    Answer,
    Application,
    ApplicationState,
    Call,
    QuestionKind,
    Review,
    SelectionRun,
)

#: A review's totals differ by more than this share of the best possible total: flagged.
DISAGREEMENT_SHARE = 0.25


def call_list_public(*, now=None) -> tuple[list[Call], list[Call]]:
    """(open or upcoming calls, soonest deadline first; past calls, latest first)."""
    now = now or timezone.now()
    calls = list(
        Call.objects.filter(is_published=True).select_related("kind").order_by("closes_at")
    )
    current = [call for call in calls if call.closes_at >= now and not call.results_sent_at]
    past = [call for call in reversed(calls) if call not in current]
    return current, past


def calls_next_change(calls, *, now=None) -> dt.datetime | None:
    """When a page showing these calls changes by itself: a call opens or closes, its
    notification day or its first meeting passes (their phases and timelines follow the
    clock)."""
    from terreau.core.pagecache import next_change, start_of_day_after

    return next_change(
        *(
            moment
            for call in calls
            for moment in (
                call.opens_at,
                call.closes_at,
                call.first_meeting_at,
                start_of_day_after(call.notification_on),
            )
        ),
        now=now,
    )


def published_calls_next_change(*, now=None) -> dt.datetime | None:
    """The same over every published call still to be decided (one query)."""
    return calls_next_change(
        Call.objects.filter(is_published=True, results_sent_at__isnull=True).only(
            "pk", "opens_at", "closes_at", "first_meeting_at", "notification_on"
        ),
        now=now,
    )


def call_for_slug(*, slug: str) -> Call | None:
    return (
        Call.objects.select_related("kind")
        .prefetch_related("zones", "groups", "criteria")
        .filter(slug=slug)
        .first()
    )


@dataclass
class Milestone:
    label: str
    when: object  # date or datetime
    text: str = ""
    is_past: bool = False
    with_time: bool = True


def call_timeline(*, call: Call, now=None) -> list[Milestone]:
    """Open → deadline → notification → first meeting, each marked past or to come."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    steps = [
        Milestone(_("Applications open"), call.opens_at, is_past=call.opens_at <= now),
        Milestone(_("Deadline"), call.closes_at, is_past=call.closes_at < now),
    ]
    if call.notification_on or call.notification_label:
        steps.append(
            Milestone(
                _("Notification of the outcome"),
                # The announced wording ("à la mi-avril") stands instead of the exact date.
                None if call.notification_label else call.notification_on,
                text=call.notification_label,
                with_time=False,
                is_past=bool(call.results_sent_at)
                or bool(call.notification_on and call.notification_on < today),
            )
        )
    if call.first_meeting_at:
        steps.append(
            Milestone(
                _("First meeting"),
                call.first_meeting_at,
                text=call.first_meeting_place,
                is_past=call.first_meeting_at < now,
            )
        )
    return steps


def applications_of_user(*, user) -> list[Application]:
    return list(
        Application.objects.filter(applicant=user)
        .select_related("call", "call__kind")
        .order_by("-created_at")
    )


def application_detail(*, pk: int) -> Application | None:
    return (
        Application.objects.select_related(
            "call", "call__kind", "organisation", "zone", "person", "group_assignment__group"
        )
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            "log",
        )
        .filter(pk=pk)
        .first()
    )


def answers_for_display(*, application: Application, anonymised: bool = False) -> list[dict]:
    """The form's questions with this application's answers, in order (identifying answers
    and the organisation left out when `anonymised`)."""
    from terreau.directory.models import Organisation

    answers = {answer.question_id: answer for answer in application.answers.all()}
    organisation_ids = [
        a.value
        for a in answers.values()
        if a.question.kind == QuestionKind.ORGANISATION and a.value
    ]
    organisations = Organisation.objects.in_bulk(organisation_ids)
    rows = []
    for question in application.call.questions.all():
        if anonymised and (question.is_identifying or question.kind == QuestionKind.ORGANISATION):
            continue
        answer = answers.get(question.pk)
        value = answer.value if answer else None
        text = ""
        if question.kind == QuestionKind.YES_NO and value is not None:
            text = _("Yes") if value else _("No")
        elif question.kind == QuestionKind.MULTIPLE_CHOICE and value:
            text = ", ".join(value)
        elif question.kind == QuestionKind.ORGANISATION and value:
            organisation = organisations.get(value)
            text = organisation.name if organisation else ""
        elif value is not None:
            text = str(value)
        rows.append(
            {
                "question": question,
                "text": text,
                "file": answer.file if answer and answer.file else None,
                "answer": answer,
            }
        )
    return rows


# review aggregates


@dataclass
class Aggregate:
    application: Application
    totals: list[float] = field(default_factory=list)
    by_criterion: dict[int, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.totals) if self.totals else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.totals) if self.totals else None

    def criterion_mean(self, pk: int) -> float | None:
        values = self.by_criterion.get(pk)
        return statistics.fmean(values) if values else None

    def criterion_median(self, pk: int) -> float | None:
        values = self.by_criterion.get(pk)
        return statistics.median(values) if values else None


def best_total(call: Call) -> float:
    return float(sum(c.weight * c.max_value for c in call.criteria.all())) or 1.0


def application_table(
    *, call: Call, state: str = "", query: str = "", order: str = "-mean"
) -> tuple[list[dict], list]:
    """Rows for the staff table: each application with its review count, mean and median
    score, per-criterion means and medians, and a disagreement flag; filtered and sorted.
    A constant number of queries whatever the number of applications."""
    criteria = list(call.criteria.all())
    applications = (
        call.applications.select_related("organisation", "zone", "group_assignment__group")
        .annotate(assigned=Count("reviewer_assignments", distinct=True))
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.prefetch_related("scores")))
    )
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    query = query.replace("\x00", "").strip()[:200]
    if query:
        applications = applications.filter(
            Q(applicant_name__icontains=query) | Q(organisation__name__icontains=query)
        )
    best = float(sum(c.weight * c.max_value for c in criteria)) or 1.0
    rows = []
    for application in applications:
        aggregate = Aggregate(application)
        for review in application.reviews.all():
            aggregate.totals.append(review.total)
            for score in review.scores.all():
                aggregate.by_criterion.setdefault(score.criterion_id, []).append(score.value)
        spread = (max(aggregate.totals) - min(aggregate.totals)) if aggregate.count > 1 else 0
        rows.append(
            {
                "application": application,
                "aggregate": aggregate,
                "mean": aggregate.mean,
                "median": aggregate.median,
                "disagreement": spread > DISAGREEMENT_SHARE * best,
                "criteria": [
                    (aggregate.criterion_mean(c.pk), aggregate.criterion_median(c.pk))
                    for c in criteria
                ],
            }
        )
    keys = {
        "name": lambda row: row["application"].applicant_name.lower(),
        "organisation": lambda row: (
            row["application"].organisation.name.lower() if row["application"].organisation else ""
        ),
        "state": lambda row: row["application"].state,
        "mean": lambda row: (row["mean"] is not None, row["mean"] or 0),
        "median": lambda row: (row["median"] is not None, row["median"] or 0),
        "reviews": lambda row: row["aggregate"].count,
        "submitted": lambda row: row["application"].submitted_at or timezone.now(),
    }
    name = order.lstrip("-")
    if name in keys:
        rows.sort(key=keys[name], reverse=order.startswith("-"))
    return rows, criteria


def reviewer_queue(*, call: Call, user) -> list[dict]:
    """The applications assigned to a reviewer, with their own review if written."""
    applications = (
        call.applications.filter(reviewer_assignments__reviewer=user)
        .exclude(conflicts__reviewer=user)
        .select_related("organisation")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.filter(reviewer=user)))
        .order_by("pk")
    )
    return [
        {"application": application, "review": next(iter(application.reviews.all()), None)}
        for application in applications
    ]


def other_reviews(*, application: Application, user) -> list[Review]:
    """The other reviewers' reviews of an application, when the active phase shows them."""
    now = timezone.now()
    if not any(
        phase.may_see_other_reviews and phase.is_current_at(now)
        for phase in application.call.review_phases.all()
    ):
        return []
    return list(application.reviews.exclude(reviewer=user).prefetch_related("scores__criterion"))


def calls_reviewed_by(*, user) -> list[Call]:
    return list(Call.objects.filter(reviewers=user).select_related("kind"))


# selection


def feature_catalogue(*, call: Call, states=IN_COMPETITION) -> list[dict]:
    """The categories a selection may use: directory attributes and the form's choice and
    yes/no answers, each with its values and how many applications in competition hold it."""
    from terreau.directory.models import ActorCategory, OrganisationKind

    catalogue = [
        {
            "key": "organisation_kind",
            "label": _("Kind of organisation"),
            "labels": dict(OrganisationKind.choices),
        },
        {
            "key": "actor_category",
            "label": _("Actor category"),
            "labels": dict(ActorCategory.choices),
        },
        {"key": "zone", "label": _("Zone"), "labels": {}},
        {"key": "department", "label": _("Département"), "labels": {}},
    ]
    for question in call.questions.all():
        if question.kind in CATEGORY_KINDS:
            labels = (
                {"yes": _("yes"), "no": _("no")} if question.kind == QuestionKind.YES_NO else {}
            )
            catalogue.append(
                {"key": question.feature_key, "label": question.label, "labels": labels}
            )
    counts: dict[str, dict[str, int]] = {}
    for candidate in candidate_rows(call=call, states=states):
        for key, value in candidate["features"].items():
            counts.setdefault(key, {}).setdefault(value, 0)
            counts[key][value] += 1
    for entry in catalogue:
        entry["counts"] = dict(sorted(counts.get(entry["key"], {}).items()))
        entry["values"] = [
            {"value": value, "label": str(entry["labels"].get(value, value)), "count": count}
            for value, count in entry["counts"].items()
        ]
    return [entry for entry in catalogue if entry["values"]]


def candidate_rows(*, call: Call, states=IN_COMPETITION) -> list[dict]:
    """Each application's id, features (str → str), mean score and requested amount."""
    questions = {q.pk: q for q in call.questions.all() if q.kind in CATEGORY_KINDS}
    applications = (
        call.applications.filter(state__in=states)
        .select_related("organisation__commune", "person", "zone")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.filter(question__in=list(questions))),
            Prefetch("reviews", queryset=Review.objects.only("application_id", "total")),
        )
        .order_by("pk")
    )
    rows = []
    for application in applications:
        features = {}
        if application.organisation:
            features["organisation_kind"] = application.organisation.kind
            if application.organisation.commune_id:
                features["department"] = application.organisation.commune.department_id
        if application.person:
            features["actor_category"] = application.person.actor_category
        if application.zone:
            features["zone"] = application.zone.name
        for answer in application.answers.all():
            question = questions[answer.question_id]
            if answer.value is None:
                continue
            if question.kind == QuestionKind.YES_NO:
                # Stored values stay the same in every language; labels translate them.
                features[question.feature_key] = "yes" if answer.value else "no"
            else:
                features[question.feature_key] = str(answer.value)
        totals = [review.total for review in application.reviews.all()]
        rows.append(
            {
                "id": str(application.pk),
                "features": features,
                "score": statistics.fmean(totals) if totals else 0.0,
                "cost": float(application.requested_amount or 0),
                "application": application,
            }
        )
    return rows


def candidates(*, call: Call, states=IN_COMPETITION) -> list:
    """The applications as `selection.Candidate`s (a missing feature reads as "—")."""
    from .selection import Candidate

    rows = candidate_rows(call=call, states=states)
    keys = sorted({key for row in rows for key in row["features"]})
    return [
        Candidate(
            id=row["id"],
            features={key: row["features"].get(key, "—") for key in keys},
            score=row["score"],
            cost=row["cost"],
        )
        for row in rows
    ]


def selected_applications(*, call: Call, call_group=None) -> list[Application]:
    """The call's selected applications (once staff confirmed a selection), those the call put
    in `call_group` when given, by name; their person, organisation, zone, applicant account and
    group assignment fetched with them (one query). What another module (exchange groups) takes
    over from a call."""
    applications = call.applications.filter(state=ApplicationState.SELECTED)
    if call_group is not None:
        applications = applications.filter(group_assignment__group=call_group)
    return list(
        applications.select_related(
            "person", "organisation", "zone", "applicant", "group_assignment__group"
        ).order_by("applicant_name", "pk")
    )


def selection_runs(*, call: Call) -> list[SelectionRun]:
    return list(call.selection_runs.select_related("created_by", "confirmed_by"))


def feature_labels(*, call: Call) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(feature key → label, feature key → value → label) for display."""
    from terreau.directory.models import ActorCategory, OrganisationKind

    labels = {
        "organisation_kind": _("Kind of organisation"),
        "actor_category": _("Actor category"),
        "zone": _("Zone"),
        "department": _("Département"),
    }
    values = {
        "organisation_kind": {k: str(v) for k, v in OrganisationKind.choices},
        "actor_category": {k: str(v) for k, v in ActorCategory.choices},
    }
    for question in call.questions.all():
        labels[question.feature_key] = question.label
        if question.kind == QuestionKind.YES_NO:
            values[question.feature_key] = {"yes": _("yes"), "no": _("no")}
    return labels, values


def selection_report(*, run: SelectionRun) -> dict:
    """What the selection page shows: the panel and waiting list with names, each applicant's
    probability (lottery), and the panel's composition against each quota."""
    names = dict(
        Application.objects.filter(
            pk__in=[int(pk) for pk in run.result.get("pool", [])]
        ).values_list("pk", "applicant_name")
    )
    features = run.result.get("features", {})
    panel = run.result.get("panel", [])
    lottery = run.result.get("lottery") or {}
    marginals = lottery.get("marginals", {})
    labels, value_labels = feature_labels(call=run.call)
    composition = []
    for quota in run.quotas:
        feature, value = quota["feature"], quota["value"]
        count = sum(1 for pk in panel if features.get(pk, {}).get(feature) == value)
        composition.append(
            quota
            | {
                "feature": labels.get(feature, feature),
                "value": value_labels.get(feature, {}).get(value, value),
                "count": count,
                "ok": quota["min"] <= count <= quota["max"],
            }
        )

    def reference(pk) -> str:
        return f"C{run.call_id}-{int(pk):04d}"

    def row(pk, probability=None):
        return {
            "id": pk,
            "reference": reference(pk),
            "name": names.get(int(pk), pk),
            "probability": probability,
        }

    return {
        "panel": [row(pk, marginals.get(pk)) for pk in panel],
        "waiting_list": [row(pk, marginals.get(pk)) for pk in run.result.get("waiting_list", [])],
        "probabilities": sorted(
            (row(pk, p) for pk, p in marginals.items()),
            key=lambda item: (-item["probability"], item["reference"]),
        ),
        "panels": [
            (", ".join(reference(pk) for pk in members), probability)
            for members, probability in lottery.get("panels", [])
        ],
        "composition": composition,
    }


def draw_files(*, run: SelectionRun) -> dict[str, tuple[list, list]]:
    """The published draw's pool (reference and categories only) and quotas, in the Sortition
    Foundation's CSV format that `terreau select_panel` reads, so that anyone can re-run it."""
    labels, _values = feature_labels(call=run.call)
    features = run.result.get("features", {})
    keys = sorted({key for row in features.values() for key in row})
    pool = (
        ["id", *[labels.get(key, key) for key in keys]],
        [
            [f"C{run.call_id}-{int(pk):04d}", *[features[pk].get(key, "") for key in keys]]
            for pk in run.result.get("pool", [])
        ],
    )
    quotas = (
        ["feature", "value", "min", "max"],
        [
            [labels.get(q["feature"], q["feature"]), q["value"], q["min"], q["max"]]
            for q in run.quotas
        ],
    )
    return {"vivier": pool, "quotas": quotas}


def group_balance(*, call: Call, features: list[str]) -> list[dict]:
    """The call's groups with their members and, per feature value, the count against the
    fair-share floor and ceiling (from `grouping.group_balance`)."""
    from . import grouping

    groups = list(call.groups.prefetch_related("members__application"))
    candidates_by_id = {c.id: c for c in candidates(call=call, states=[ApplicationState.SELECTED])}
    formed = {
        str(group.pk): [
            str(m.application_id)
            for m in group.members.all()
            if str(m.application_id) in candidates_by_id
        ]
        for group in groups
    }
    report = (
        grouping.group_balance(formed, list(candidates_by_id.values()), features)
        if candidates_by_id and features
        else {"groups": {}, "excess": 0}
    )
    labels, value_labels = feature_labels(call=call)
    result = []
    for group in groups:
        rows = report["groups"].get(str(group.pk), {}).get("balance", [])
        result.append(
            {
                "group": group,
                "members": [m.application for m in group.members.all()],
                "balance": [
                    row
                    | {
                        "feature_label": labels.get(row["feature"], row["feature"]),
                        "value_label": value_labels.get(row["feature"], {}).get(
                            row["value"], row["value"]
                        ),
                    }
                    for row in rows
                ],
            }
        )
    return result


def phase_of(call: Call) -> str:
    return call.phase_at(timezone.now())
