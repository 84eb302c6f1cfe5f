from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "innoclub.search"
    verbose_name = pgettext_lazy("noun", "Search")

    def ready(self) -> None:
        # Connects the handlers that keep the index in step with every write.
        from innoclub.search import signals  # noqa: F401
