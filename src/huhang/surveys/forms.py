"""Forms of the survey pages: a questionnaire (built from its questions), the results' period, marking an
answer as not counted. They parse and present; the rules are the services' (which check everything again)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huhang.registry.models import District
from huhang.surveys import scoring
from huhang.surveys.models import Channel, Questionnaire, RespondentType, localised

#: The hidden field of the honeypot: people never see it, form-filling robots fill it in.
HONEYPOT = "website"
LIKERT_LABELS = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Neutral"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}


def field_name(key: str) -> str:
    return f"q_{key}"


class AnswerForm(forms.Form):
    """The questions of ``questionnaire``, then who answers (type, district), and the honeypot."""

    respondent_type = forms.ChoiceField(
        label=_("You are answering as"), choices=[("", _("Choose…")), *RespondentType.choices]
    )
    district = forms.ModelChoiceField(
        label=_("District (optional)"),
        queryset=District.objects.order_by("kind", "code"),
        required=False,
        empty_label=_("Not given"),
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = list(questionnaire.questions.order_by("position"))
        self.fields[HONEYPOT] = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
        for n, question in enumerate(self.questions, start=1):
            self.fields[field_name(question.key)] = self._field(question)
            self.fields[field_name(question.key)].question = question
            self.fields[field_name(question.key)].number = n

    @staticmethod
    def _field(question) -> forms.Field:
        common = {"label": question.text, "required": question.required, "help_text": question.help}
        if question.kind == scoring.LIKERT5:
            choices = list(LIKERT_LABELS.items())
            return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
        if question.kind == scoring.SCALE10:
            choices = [(v, str(v)) for v in range(11)]
            return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
        if question.kind == scoring.CHOICE:
            choices = [(o["value"], localised(o["label"]["zh"], o["label"].get("en", ""))) for o in question.options]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}), max_length=2000, **common)

    def question_fields(self):
        return [self[field_name(q.key)] for q in self.questions]

    def values(self) -> dict:
        return {q.key: self.cleaned_data.get(field_name(q.key)) for q in self.questions}

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError on the fields it names (question keys, respondent_type, district)."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for key, errors in error.error_dict.items():
            name = field_name(key) if field_name(key) in self.fields else key
            target = name if name in self.fields else None
            for e in errors:
                self.add_error(target, e)


def _first_of_year(today: dt.date) -> dt.date:
    return today.replace(month=1, day=1)


class PeriodForm(forms.Form):
    """A period given as a first and a last day (both included), a district and a channel."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("kind", "code"),
        required=False,
        empty_label=_("Whole city"),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        defaults = {"start": _first_of_year(today).isoformat(), "last": today.isoformat()}
        if data is not None:
            data = {**defaults, **{k: v for k, v in data.items() if v not in (None, "")}}
        super().__init__(data if data is not None else defaults, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, last = cleaned.get("start"), cleaned.get("last")
        if start and last and last < start:
            raise forms.ValidationError(_("The last day comes before the first day."))
        return cleaned

    @property
    def end(self) -> dt.date:
        """The day after the last day: the period is [start, end)."""
        return self.cleaned_data["last"] + dt.timedelta(days=1)


class InvalidateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this answer not to be counted?"),
        min_length=4,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
