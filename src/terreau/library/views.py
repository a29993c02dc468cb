"""Public pages of the library: the list of resources (filters in the URL) and a resource."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from . import selectors
from .filters import ResourceFilter


class ResourceListView(TemplateView):
    template_name = "library/resource_list.html"

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        # The same URL answers a whole page or, to htmx, only the results.
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        filterset = ResourceFilter(self.request.GET, user=self.request.user)
        paginator = Paginator(filterset.qs, filterset.page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filter=filterset, page_obj=page, results=page.object_list, **kwargs
        )


class ResourceDetailView(TemplateView):
    """A resource's page; a draft is a 404 for everyone but moderators and staff."""

    template_name = "library/resource_detail.html"

    def get_context_data(self, **kwargs):
        resource = selectors.resource_detail(slug=self.kwargs["slug"])
        if resource is None or not self.request.user.has_perm("library.view_resource", resource):
            raise Http404
        return super().get_context_data(
            resource=resource,
            page_url=settings.SITE_URL + resource.get_absolute_url(),
            **kwargs,
        )
