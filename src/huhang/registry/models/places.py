from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DistrictKind(models.TextChoices):
    DISTRICT = "district", _("Administrative district")
    FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")


class LocalisedName(models.Model):
    """A reference row with a Chinese and an English name; shown in the page's language."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class District(LocalisedName):
    """A district of the city, or a functional zone (e.g. 东湖新技术开发区)."""

    kind = models.CharField(_("kind"), max_length=16, choices=DistrictKind.choices)

    class Meta(LocalisedName.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Industry(LocalisedName):
    """An industry: a section of GB/T 4754-2017, or one of the city's key industry chains."""

    is_key_chain = models.BooleanField(_("key industry chain of the plan"), default=False)

    class Meta(LocalisedName.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
