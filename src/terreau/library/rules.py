"""Who may see what in the library (django-rules).

Everyone reads published resources; drafts are for moderators and staff (a 404 for others).
Staff write in the Django admin (Django's model permissions).
"""

import rules

from terreau.accounts.rules import is_moderator

from .models import ResourceState


@rules.predicate
def is_published(user, resource) -> bool:
    return resource is not None and resource.state == ResourceState.PUBLISHED


rules.add_perm("library.view_resource", is_published | is_moderator)
rules.add_perm("library.view_draft_resources", is_moderator)
