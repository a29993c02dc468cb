from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "terreau.groups"
    label = "groups"
    verbose_name = _("Exchange groups")

    def ready(self):
        # The events module asks us who belongs to a meeting's group and who runs its door.
        from terreau.events import audiences

        from . import rules  # noqa: F401 - registers the permissions
        from .selectors import event_door_delegate, event_group_member_check

        audiences.register_group_member_check(event_group_member_check)
        audiences.register_door_delegate(event_door_delegate)
