from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "huhang.supervision"
    label = "supervision"
    verbose_name = _("Supervised work items")
    default_auto_field = "django.db.models.BigAutoField"
