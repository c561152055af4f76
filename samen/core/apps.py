from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samen.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from samen.core import checks  # noqa: F401 - registers Samen's system checks

        # Register every app's policy rules (``<app>/policies.py``) with the one policy module.
        for config in apps.get_app_configs():
            if config.name.startswith("samen."):
                try:
                    import_module(f"{config.name}.policies")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.policies":
                        raise
