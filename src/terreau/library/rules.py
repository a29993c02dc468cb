"""Who may do what in the library (django-rules).

Everyone reads published resources; drafts are for moderators and staff (a 404 for others).
Staff write resources in the Django admin (Django's model permissions) and send the newsletter.
Members propose resources, which moderators publish, send back for changes or reject; a
proposal is seen by its author and the moderators only.
Members post co-development needs and offer help; staff take needs to sessions and record the
outcome; the member who posted a need (or staff) marks it resolved.
"""

import rules

from terreau.accounts.rules import is_member, is_moderator, is_staff

from .models import ResourceState


@rules.predicate
def is_published(user, resource) -> bool:
    return resource is not None and resource.state == ResourceState.PUBLISHED


@rules.predicate
def is_need_author(user, need) -> bool:
    return bool(need is not None and user.is_authenticated and need.author_id == user.pk)


@rules.predicate
def is_open_need(user, need) -> bool:
    return need is not None and need.is_open


@rules.predicate
def is_proposal_author(user, proposal) -> bool:
    return bool(proposal is not None and user.is_authenticated and proposal.author_id == user.pk)


@rules.predicate
def is_editable_proposal(user, proposal) -> bool:
    return proposal is not None and proposal.is_editable


rules.add_perm("library.view_resource", is_published | is_moderator)
# Members propose resources; moderators decide (terreau.core.moderation).
rules.add_perm("library.propose_resource", is_member)
rules.add_perm("library.view_resourceproposal", is_proposal_author | is_moderator)
rules.add_perm("library.revise_resourceproposal", is_proposal_author & is_editable_proposal)
rules.add_perm("library.moderate_resourceproposal", is_moderator)
rules.add_perm("library.view_draft_resources", is_moderator)
rules.add_perm("library.manage_newsletter", is_staff)
rules.add_perm("library.post_need", is_member)
rules.add_perm("library.offer_help", is_member & is_open_need)
rules.add_perm("library.schedule_need", is_staff & is_open_need)
rules.add_perm("library.record_outcome", is_staff)
rules.add_perm("library.resolve_need", (is_need_author | is_staff) & is_open_need)
