"""`{% resources_about obj %}`: the published resources of a call, an exchange group or a
worksite, as a section of that page (one query; nothing when there is none)."""

from django import template

from ..selectors.resources import resources_about as select_resources_about

register = template.Library()


@register.inclusion_tag("library/includes/resources_mentioning.html")
def resources_about(obj):
    return {"resources": select_resources_about(obj), "about": "other"}
