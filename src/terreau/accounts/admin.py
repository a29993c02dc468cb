from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_moderator", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_moderator", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_moderator", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["grant_moderator", "revoke_moderator"]

    @admin.action(description=_("Grant the moderator role"), permissions=["change"])
    def grant_moderator(self, request, queryset):
        count = queryset.update(is_moderator=True)
        self.message_user(request, _("%(count)d account(s) are now moderators.") % {"count": count})

    @admin.action(description=_("Remove the moderator role"), permissions=["change"])
    def revoke_moderator(self, request, queryset):
        count = queryset.update(is_moderator=False)
        self.message_user(
            request, _("%(count)d account(s) are no longer moderators.") % {"count": count}
        )
