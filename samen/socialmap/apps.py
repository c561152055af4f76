from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialMapConfig(AppConfig):
    name = "samen.socialmap"
    label = "socialmap"
    verbose_name = _("Social map")
