from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "huhang.evidence"
    label = "evidence"
    verbose_name = _("Evidence ledger")

    def ready(self) -> None:
        from huhang.evidence import system_checks  # noqa: F401 - registers the checks
