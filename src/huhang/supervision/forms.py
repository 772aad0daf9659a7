"""Forms of the supervision pages: they parse input; the services decide what is allowed and valid."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from huhang.accounts.models import Organisation
from huhang.supervision import selectors
from huhang.supervision.models import Department, NoteKind, ReportStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemFilterForm(forms.Form):
    """The list's filters (a GET form: every field optional, bad values ignored)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    due_within = forms.IntegerField(label=_("Milestone due within (days)"), required=False, min_value=0, max_value=366)
    reply_overdue = forms.BooleanField(label=_("Reply to a supervision note overdue"), required=False)
    on = forms.DateField(label=_("Status as of"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = list(selectors.programmes())
        self.fields["programme"].choices = [("", _("All")), *((p.code, p.title_zh) for p in programmes)]
        self.fields["area"].choices = [("", _("All"))] + [
            (p.title_zh, [(a.pk, f"{a.number}. {a.title_zh}") for a in p.areas.all()]) for p in programmes
        ]
        self.fields["department"].choices = [
            ("", _("All")),
            (selectors.UNASSIGNED, _("No department assigned")),
            *((str(d.pk), d.name) for d in selectors.departments()),
        ]
        self.fields["status"].choices = [("", _("All")), *selectors.STATUS_LABELS.items()]

    def where(self) -> selectors.ItemFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        department = data.get("department") or None
        if department and department != selectors.UNASSIGNED:
            department = int(department)
        return selectors.ItemFilter(
            programme=data.get("programme") or "",
            area=data.get("area"),
            department=department,
            status=data.get("status") or "",
            due_within=data.get("due_within"),
            reply_overdue=bool(data.get("reply_overdue")),
            q=(data.get("q") or "").strip(),
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) pairs, for the printed page."""
        if not (self.is_bound and self.is_valid()):
            return []
        pairs = []
        for name, value in self.cleaned_data.items():
            if value in (None, "", False) or name == "on":
                continue
            field = self.fields[name]
            choices = dict(_flat(getattr(field, "choices", ())))
            shown = choices.get(value, choices.get(str(value), value)) if choices else value
            pairs.append((str(field.label), "✓" if value is True else str(shown)))
        return pairs

    def as_of(self, today: dt.date) -> dt.date:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("on") or today


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label


class SummaryFilterForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    on = forms.DateField(label=_("Status as of"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("All")), *((p.code, p.title_zh) for p in selectors.programmes())]


class AssignForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Responsible departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ModelChoiceField(
        label=_("Lead department (牵头单位)"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["departments"].queryset = selectors.departments()
        self.fields["lead"].queryset = selectors.departments()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)


class MilestoneChangeForm(MilestoneForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list, possibly empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    percent = forms.IntegerField(label=_("Percent complete"), required=False, min_value=0, max_value=100)
    text = forms.CharField(label=_("Progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    completes = forms.ModelChoiceField(label=_("Completes milestone"), queryset=None, required=False)
    in_reply_to = forms.ModelChoiceField(label=_("In reply to supervision note"), queryset=None, required=False)
    corrects = forms.ModelChoiceField(
        label=_("Corrects report"),
        queryset=None,
        required=False,
        help_text=_(
            "The corrected report stays in the history, marked as corrected, and this one takes its place. "
            "If it completed a milestone, choose that milestone again to keep it completed."
        ),
    )
    department = forms.ModelChoiceField(label=_("Reporting for"), queryset=None, required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "PDF, images (PNG, JPEG), Word, Excel, PowerPoint or text files; "
            "at most %(count)d files of %(size)d MB each."
        ),
    )

    def __init__(self, *args, item, departments, max_files: int, max_megabytes: int, **kwargs):
        super().__init__(*args, prefix="report", **kwargs)
        # Done milestones too: a correction of the report that completed one names it again.
        self.fields["completes"].queryset = item.milestones.order_by("due_on", "pk")
        self.fields["completes"].label_from_instance = _milestone_label
        self.fields["in_reply_to"].queryset = item.notes.order_by("-issued_at")
        self.fields["in_reply_to"].label_from_instance = lambda n: f"#{n.pk} {n.get_kind_display()} {n.text[:30]}"
        self.fields["corrects"].queryset = item.reports.filter(correction__isnull=True).order_by("-reported_at")
        self.fields["corrects"].label_from_instance = lambda r: (
            f"#{r.pk} {r.reported_at:%Y-%m-%d} {r.get_status_display()}"
        )
        self.fields["department"].queryset = departments
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "count": max_files,
            "size": max_megabytes,
        }
        if departments.count() <= 1:
            del self.fields["department"]


def _milestone_label(milestone) -> str:
    if milestone.done_on is not None:
        return _("%(title)s (done on %(date)s)") % {"title": milestone.title, "date": milestone.done_on.isoformat()}
    return _("%(title)s (due on %(date)s)") % {"title": milestone.title, "date": milestone.due_on.isoformat()}


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    text = forms.CharField(label=_("Supervision note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reply_due_on = forms.DateField(label=_("Reply due on"), widget=DATE)
    department = forms.ModelChoiceField(
        label=_("Addressed to"), queryset=None, required=False, empty_label=_("Every responsible department")
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)
        self.fields["department"].queryset = Department.objects.filter(responsibilities__item=item).order_by("name")


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation on the platform"),
        queryset=None,
        required=False,
        help_text=_("Its users report progress for the department."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="department", **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(supervision_department__isnull=True)
