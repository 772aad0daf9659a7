from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatentsConfig(AppConfig):
    name = "huhang.patents"
    label = "patents"
    verbose_name = _("Patent analytics")
    default_auto_field = "django.db.models.BigAutoField"
