"""Filters of the evidence list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from huhang.evidence.models import Evidence, EvidenceKind, EvidenceMode


class EvidenceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EvidenceKind.choices)
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=EvidenceMode.choices)
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Evidence
        fields = ["kind", "mode"]
