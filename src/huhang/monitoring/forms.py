from django import forms
from django.utils.translation import gettext_lazy as _

from huhang.monitoring.indicators import INDICATORS
from huhang.monitoring.models import StatisticCode


class TargetForm(forms.Form):
    from_year = forms.IntegerField(label=_("Applies from the year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=20, decimal_places=4)
    source_title = forms.CharField(label=_("Source (plan or decision)"), max_length=400)
    source_quote = forms.CharField(
        label=_("Words of the source"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatisticForm(forms.Form):
    name = forms.CharField(label=_("Name as published"), max_length=200)
    code = forms.ChoiceField(label=_("Formula input"), choices=[("", "—"), *StatisticCode.choices], required=False)
    indicator = forms.ChoiceField(
        label=_("Reports the indicator"),
        choices=[("", "—")] + [(i.id, f"{i.id} {i.name_zh}") for i in INDICATORS],
        required=False,
    )
    period = forms.CharField(label=_("Period"), max_length=40, help_text=_("2024, 2024Q4, 2024-12 or a range of days"))
    value = forms.CharField(label=_("Value"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=32)
    scope = forms.CharField(label=_("Scope"), max_length=100, initial="Wuhan")
    source_title = forms.CharField(label=_("Source"), max_length=400)
    source_url = forms.CharField(label=_("Source address"), max_length=500, required=False)
    confidence = forms.CharField(label=_("Kind of source"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatisticsUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    skip_unreadable = forms.BooleanField(label=_("Leave out unreadable rows and report them"), required=False)
