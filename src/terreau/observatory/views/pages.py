"""Public pages: an initiative's detail and history, the methods (fiches méthode)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from terreau.core.absolute import base_url

from ..models import Initiative
from ..selectors import moderation as moderation_selectors
from ..selectors import pages as selectors


class InitiativeDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "observatory/initiative_detail.html"
    permission_required = "observatory.view_initiative"

    def get_permission_object(self):
        self.initiative = selectors.initiative_detail(slug=self.kwargs["slug"])
        if self.initiative is None:
            raise Http404
        return self.initiative

    def get_context_data(self, **kwargs):
        initiative = self.initiative
        images = [media for media in initiative.media.all() if media.kind == "image"]
        documents = [media for media in initiative.media.all() if media.kind == "document"]
        vocabulary = selectors.initiative_vocabulary(initiative=initiative)
        return super().get_context_data(**kwargs) | {
            "initiative": initiative,
            "vocabulary": vocabulary,
            "images": images,
            "documents": documents,
            "related": selectors.initiative_related(initiative=initiative, vocabulary=vocabulary),
            "last_revision": selectors.initiative_last_revision(initiative=initiative),
            "page_url": base_url() + initiative.get_absolute_url(),
            "og_image": base_url() + images[0].file.url if images else "",
        }


class InitiativeHistoryView(PermissionRequiredMixin, TemplateView):
    template_name = "observatory/initiative_history.html"
    permission_required = "observatory.view_initiative_history"

    def get_permission_object(self):
        self.initiative = get_object_or_404(Initiative, slug=self.kwargs["slug"])
        return self.initiative

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "initiative": self.initiative,
            "history": moderation_selectors.initiative_history(initiative=self.initiative),
        }


class MethodListView(ListView):
    template_name = "observatory/method_list.html"
    context_object_name = "methods"
    paginate_by = 50

    def get_queryset(self):
        return selectors.method_list()


class MethodDetailView(PermissionRequiredMixin, TemplateView):
    template_name = "observatory/method_detail.html"
    permission_required = "observatory.view_method"

    def get_permission_object(self):
        self.method = selectors.method_detail(slug=self.kwargs["slug"])
        if self.method is None:
            raise Http404
        return self.method

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "method": self.method,
            "page_url": base_url() + self.method.get_absolute_url(),
        }
