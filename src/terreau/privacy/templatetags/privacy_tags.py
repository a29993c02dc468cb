from django import template

from terreau.privacy.registry import purposes

register = template.Library()


@register.simple_tag
def processing_register():
    """The register of processing purposes, (app, Purpose) pairs."""
    return [purpose for _app, purpose in purposes()]
