"""Public pages of the library: the list of resources (filters in the URL) and a resource."""

from django.http import Http404
from django.views.generic import TemplateView

from terreau.core.absolute import base_url
from terreau.core.views import FilteredListView

from . import selectors
from .filters import ResourceFilter


class ResourceListView(FilteredListView):
    template_name = "library/resource_list.html"
    filter_class = ResourceFilter


class ResourceDetailView(TemplateView):
    """A resource's page; a draft is a 404 for everyone but moderators and staff."""

    template_name = "library/resource_detail.html"

    def get_context_data(self, **kwargs):
        resource = selectors.resource_detail(slug=self.kwargs["slug"])
        if resource is None or not self.request.user.has_perm("library.view_resource", resource):
            raise Http404
        return super().get_context_data(
            resource=resource,
            page_url=base_url() + resource.get_absolute_url(),
            **kwargs,
        )
