from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")
    STAFF = "staff", _("Club office")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.STAFF)
        extra.setdefault("is_superuser", True)
        extra.pop("is_staff", None)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively; we store them lower-case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """An account: a member, a guest (external partner or speaker) or office staff."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    municipality = models.ForeignKey(
        "network.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("de", "Deutsch"), ("en", "English")],
        default="de",
    )

    # Set when the account was erased (GDPR Art. 17): the row stays so that the
    # person's contributions keep an author, shown as "ehemaliges Mitglied".
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        indexes = [
            # The start page's figures: active members and the places they
            # come from, counted from this index alone.
            models.Index(
                fields=["role", "is_active", "municipality"], name="user_role_active_place"
            ),
            # The directory's default order, read in order instead of sorted.
            models.Index(fields=["last_name", "first_name", "id"], name="user_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(_("former member"))
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return str(_("former member"))
        return self.first_name or self.email

    # The role is the single source of truth; Django's admin asks is_staff.
    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        # The club office administers everything in the admin; finer
        # permissions would only be maintenance without a user who needs them.
        if self.is_active and self.is_staff:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_staff:
            return True
        return super().has_module_perms(app_label)


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class DataExport(models.Model):
    """A copy of everything the platform holds about one person (GDPR Art. 15/20).

    Built in the background (``innoclub.accounts.personal_data``) into a ZIP
    under ``MEDIA_ROOT/datenexporte/`` with a random name. Only the SHA-256 of
    the download token is stored; the link works once, in the owner's session,
    until ``expires_at``.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="data_exports"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    # Relative to MEDIA_ROOT; empty until the file exists and again once it is deleted.
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values),
                name="data_export_status_valid",
            ),
            # One export in the making per person: a second request (or a
            # double click racing the first) fails here.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="data_export_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready")
                | models.Q(finished_at__isnull=False, expires_at__isnull=False),
                name="data_export_ready_has_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(downloaded_at__isnull=True) | models.Q(status="ready"),
                name="data_export_downloaded_only_when_ready",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("created_at")),
                name="data_export_expires_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    def is_downloadable(self, now: datetime | None = None) -> bool:
        return (
            self.status == ExportStatus.READY
            and self.downloaded_at is None
            and self.expires_at is not None
            and self.expires_at > (now or timezone.now())
        )
