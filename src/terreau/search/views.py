"""The site search's pages: results grouped by kind (or one kind, paginated) and the
suggestions the header box shows as one types (htmx; without script the box submits)."""

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from .forms import SiteSearchForm
from .registry import kind_by_key
from .selectors import kind_page, site_search, suggestions

PAGE_SIZE = 20


def results(request):
    form = SiteSearchForm(request.GET)
    query = form.site_query()
    kind = kind_by_key(form.cleaned_data.get("type") or "")
    context = {"form": form, "query": query, "kind": kind}
    if kind is not None:
        try:
            number = min(max(1, int(request.GET.get("page", "1")[:6])), 10_000)
        except ValueError:
            number = 1
        count, hits = kind_page(kind, query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        last = max(1, -(-count // PAGE_SIZE))
        if number > last:
            number = last
            count, hits = kind_page(kind, query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        # A range stands for the results: the paginator counts and numbers pages from it.
        page = Page(hits, number, Paginator(range(count), PAGE_SIZE))
        context.update(count=count, hits=hits, page_obj=page)
    else:
        groups = site_search(query)
        context.update(groups=groups, count=sum(group["count"] for group in groups))
    response = render(request, "search/results.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def suggest(request):
    hits = suggestions(request.GET.get("q", "")[:200])
    return render(request, "search/suggestions.html", {"hits": hits, "q": request.GET.get("q", "")})
