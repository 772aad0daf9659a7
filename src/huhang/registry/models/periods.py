from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.Model):
    """A half-open interval of dates [start, end): active on D when start <= D and (no end or D < end)."""

    START = "valid_from"
    END = "valid_to"

    class Meta:
        abstract = True

    @classmethod
    def active_on_q(cls, day, prefix: str = "") -> models.Q:
        return models.Q(**{f"{prefix}{cls.START}__lte": day}) & (
            models.Q(**{f"{prefix}{cls.END}__isnull": True}) | models.Q(**{f"{prefix}{cls.END}__gt": day})
        )

    def is_active_on(self, day) -> bool:
        start, end = getattr(self, self.START), getattr(self, self.END)
        return start is not None and start <= day and (end is None or day < end)

    def clean_period(self) -> None:
        start, end = getattr(self, self.START), getattr(self, self.END)
        if start and end and end <= start:
            raise ValidationError({self.END: _("The end date must be after the start date.")})
