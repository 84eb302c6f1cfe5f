from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "innoclub.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from innoclub.core import planner

        # post_migrate is sent once per app after all migrations ran; once is enough.
        post_migrate.connect(
            planner.analyze_after_migrate, sender=self, dispatch_uid="core-analyze"
        )
        request_finished.connect(planner.optimize_now_and_then, dispatch_uid="core-optimize")
