from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "innoclub.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Logins and lockouts happen inside Django and django-axes: their
        # signals are where we hear of them (docs/architecture.md, "Audit log").
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from innoclub.audit import receivers

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="audit_login")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="audit_logout")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="audit_login_failed")
        user_locked_out.connect(receivers.on_locked_out, dispatch_uid="audit_lockout")
