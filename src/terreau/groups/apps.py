from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "terreau.groups"
    label = "groups"
    verbose_name = _("Exchange groups")

    def ready(self):
        # The events module asks us who belongs to a meeting's group, who runs its door and
        # whether its page takes registrations (a meeting's members are registered by us).
        from terreau.events import audiences

        from . import rules  # noqa: F401 - registers the permissions
        from .selectors import (
            event_door_delegate,
            event_group_member_check,
            event_registration_owner,
        )

        audiences.register_group_member_check(event_group_member_check)
        audiences.register_door_delegate(event_door_delegate)
        audiences.register_registration_owner(event_registration_owner)
