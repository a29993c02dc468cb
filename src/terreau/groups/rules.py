"""Who may do what with exchange groups: everyone reads the public page; members and
facilitators enter the private space; facilitators plan meetings, take attendance and write
the minutes; staff manage everything and see the overview."""

import rules

from terreau.accounts.rules import is_staff


def _membership(user, group):
    from terreau.groups.selectors import membership_of

    return membership_of(user=user, group=group)


@rules.predicate
def is_group_member(user, group) -> bool:
    """A current member or facilitator of the group (signed in with the account of their
    directory entry)."""
    return group is not None and _membership(user, group) is not None


@rules.predicate
def is_group_facilitator(user, group) -> bool:
    membership = _membership(user, group) if group is not None else None
    return membership is not None and membership.is_facilitator


@rules.predicate
def is_plain_member(user, group) -> bool:
    membership = _membership(user, group) if group is not None else None
    return membership is not None and not membership.is_facilitator


rules.add_perm("groups.view_group", rules.always_allow)
rules.add_perm("groups.view_space", is_staff | is_group_member)
rules.add_perm("groups.add_group", is_staff)
rules.add_perm("groups.change_group", is_staff | is_group_facilitator)
rules.add_perm("groups.manage_members", is_staff)
rules.add_perm("groups.plan_meetings", is_staff | is_group_facilitator)
rules.add_perm("groups.record_attendance", is_staff | is_group_facilitator)
rules.add_perm("groups.write_minutes", is_staff | is_group_facilitator)
rules.add_perm("groups.send_excuse", is_plain_member)
rules.add_perm("groups.accept_charter", is_group_member)
rules.add_perm("groups.draft_production", is_staff | is_group_member)
rules.add_perm("groups.publish_production", is_staff | is_group_facilitator)
rules.add_perm("groups.view_overview", is_staff)
