from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksitesConfig(AppConfig):
    name = "terreau.worksites"
    label = "worksites"
    verbose_name = _("Cooperative worksites")
