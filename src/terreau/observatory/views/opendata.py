"""Open data: the exports of the published catalogue (streamed) and the page that documents them."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from terreau.core.throttle import throttled

from .. import exports
from ..filters import catalogue_from_query


def _export(request, chunks, *, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(exports.stream(chunks), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="observatoire-initiatives-{stamp}.{extension}"'
    )
    response["Link"] = f'<{exports.LICENCE_URL}>; rel="license"'
    response["X-Licence"] = exports.LICENCE
    return response


@throttled("export")
def export_csv(request):
    catalogue = catalogue_from_query(request.GET)
    return _export(
        request,
        exports.csv_lines(catalogue.queryset),
        content_type="text/csv; charset=utf-8",
        extension="csv",
    )


@throttled("export")
def export_json(request):
    catalogue = catalogue_from_query(request.GET)
    return _export(
        request,
        exports.json_chunks(catalogue.queryset, source_url=request.build_absolute_uri()),
        content_type="application/json",
        extension="json",
    )


@throttled("export")
def export_geojson(request):
    catalogue = catalogue_from_query(request.GET)
    return _export(
        request,
        exports.geojson_chunks(catalogue.queryset, source_url=request.build_absolute_uri()),
        content_type="application/geo+json",
        extension="geojson",
    )


class OpenDataView(TemplateView):
    template_name = "observatory/open_data.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(**kwargs) | {
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "columns": exports.COLUMNS,
            "query_string": params.urlencode(),
        }
