from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What happened. Staff actions and security events, one name each."""

    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Account locked")
    LOGOUT = "logout", _("Logout")
    ROLE_CHANGED = "role_changed", _("Role changed")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    REGISTRATION_OVERRIDDEN = "registration_overridden", _("Registration changed by the office")
    EXPORT = "export", _("Export")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Personal data exported")
    ACCOUNT_ERASED = "account_erased", _("Account erased")
    DELETION = "deletion", _("Deletion")
    ADMIN_CHANGE = "admin_change", _("Change in the admin")


class AuditEvent(models.Model):
    """One entry of the append-only audit log: who did what, when, to which object, from where.

    Rows are only ever inserted (``innoclub.audit.services.audit_record``);
    the database refuses updates and deletes (``triggers.py``, installed by
    migration 0002).
    The actor and object are also kept as text, so an entry stays readable
    after the account or object is gone.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    # DO_NOTHING and no database constraint: deleting an account must not
    # touch its entries (SET_NULL would UPDATE them, which the triggers
    # refuse); ``actor_label`` keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("by (as recorded)"), max_length=300, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="audit_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"
