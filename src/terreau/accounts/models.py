"""User accounts: log in by e-mail; roles are member, moderator and staff."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Role(models.TextChoices):
    """What a person may do; visitors are anonymous and have no account."""

    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    STAFF = "staff", _("Staff")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    is_moderator = models.BooleanField(
        _("moderator"),
        default=False,
        help_text=_("Moderators review and publish contributions."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def role(self) -> str:
        if self.is_staff:
            return Role.STAFF
        if self.is_moderator:
            return Role.MODERATOR
        return Role.MEMBER

    @property
    def role_label(self) -> str:
        return Role(self.role).label
