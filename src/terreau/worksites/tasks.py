"""Background jobs of the worksites app: they take ids and call a service."""

from django.tasks import task


@task()
def send_presentation(case_id: int, registration_ids: list[int]) -> None:
    """The case presentation to many registrants (queued by `case_presentation_send`)."""
    from .models import Case
    from .services import case_presentation_send_to

    case = Case.objects.select_related("worksite").filter(pk=case_id).first()
    if case is not None:
        case_presentation_send_to(case=case, registration_ids=registration_ids)


@task()
def return_report(report_id: int) -> None:
    """A validated report to every participant of its workshop (queued by `report_return`)."""
    from .models import Report
    from .services import report_return_send

    report = Report.objects.filter(pk=report_id).first()
    if report is not None:
        report_return_send(report=report)


@task()
def build_edition(edition_id: int) -> None:
    """Build an edition of the publication (queued by `edition_request`)."""
    from .models import Edition
    from .publication import edition_build

    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is not None and edition.is_running:
        edition_build(edition=edition)
