"""The site-wide search index: one row per public object of an indexed kind (resources, news,
events, people, organisations, co-development needs…), its text indexed by PostgreSQL full text
or an SQLite FTS5 table of French stems, as the observatory's initiatives are (observatory.search).
Initiatives themselves are searched in the observatory's own index."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.BigIntegerField(_("object"))
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    department_code = models.CharField(_("département"), max_length=3, blank=True)
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "date"], name="search_document_kind_date"),
            models.Index(fields=["department_code", "kind"], name="search_document_department"),
        ]

    def __str__(self) -> str:
        return self.title
