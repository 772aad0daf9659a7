"""Forms of the case pages. The action form is built from the procedure definition: its particulars
(payload keys, with choices where the definition lists them), the fields the step's documents need, and the
service details when the step serves a document."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huhang import documents
from huhang.accounts.models import Organisation
from huhang.accounts.roles import OrganisationKind
from huhang.cases.catalogue import is_date_key, is_int_key
from huhang.cases.models import ServiceMethod, SubmissionKind, Track
from huhang.documents.kinds import FIELD_LABELS_ZH
from huhang.registry.models import Entity

DATE = forms.DateInput(attrs={"type": "date"})
PAYLOAD_PREFIX = "p__"
DOC_PREFIX = "d__"

# Labels of the particulars the definitions use (the key itself is shown for any other).
PARTICULARS = {
    "period_days": _("Period (days)"),
    "hearing_on": _("Hearing date"),
    "reason": _("Reason"),
    "ground": _("Ground"),
    "amount": _("Amount of the extension"),
    "dispute_type": _("Kind of dispute"),
    "source": _("Source of the clue"),
    "outcome": _("Outcome"),
    "anonymous": _("Anonymous"),
    "infringement_found": _("Infringement found"),
    "kind": _("Kind"),
}


def _field_for(key: str, choices=None, required: bool = True):
    label = PARTICULARS.get(key, key)
    if choices:
        by_text = {str(c): c for c in choices}
        labels = {True: _("Yes"), False: _("No")}
        return forms.TypedChoiceField(
            label=label,
            choices=[(str(c), labels.get(c, c) if isinstance(c, bool) else c) for c in choices],
            coerce=lambda text: by_text.get(text, text),
            empty_value=None,
            required=required,
        )
    if is_date_key(key):
        return forms.DateField(label=label, widget=DATE, required=required)
    if is_int_key(key):
        return forms.IntegerField(label=label, min_value=1, required=required)
    return forms.CharField(label=label, max_length=500, required=required)


class ActionForm(forms.Form):
    """One step of a procedure. ``spec`` describes it: particulars, document fields, service, roles."""

    at = forms.DateField(label=_("Date of the step"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    acting_as = forms.ChoiceField(label=_("Acting as"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, spec: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["at"].initial = timezone.localdate()
        roles = spec["roles"]
        self.fields["acting_as"].choices = [(r, r) for r in roles]
        if len(roles) <= 1:
            self.fields["acting_as"].widget = forms.HiddenInput()
        for key in spec["payload_required"]:
            self.fields[PAYLOAD_PREFIX + key] = _field_for(key, spec["choices"].get(key))
        for key, choices in spec["choices"].items():
            if key not in spec["payload_required"]:
                self.fields[PAYLOAD_PREFIX + key] = _field_for(key, ("", *choices), required=False)
        for kind, field, required in spec["document_fields"]:
            name = DOC_PREFIX + field
            if name in self.fields:
                continue
            template = documents.KINDS.get(kind)
            choices = template.choices.get(field) if template is not None else None
            label = FIELD_LABELS_ZH.get(field, field)
            if choices:
                options = [(c, v.text) for c, v in choices.items()]
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=options if required else [("", "—"), *options], required=required
                )
            elif is_int_key(field):
                self.fields[name] = forms.IntegerField(label=label, min_value=1, required=required)
            elif is_date_key(field):
                self.fields[name] = forms.DateField(label=label, widget=DATE, required=required)
            else:
                self.fields[name] = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=required
                )
        if spec["serves"]:
            self.fields["at"].widget = forms.HiddenInput()
            self.fields["method"] = forms.ChoiceField(label=_("Method of service"), choices=ServiceMethod.choices)
            self.fields["sent_on"] = forms.DateField(label=_("Sent on"), widget=DATE, required=False)
            self.fields["delivered_on"] = forms.DateField(
                label=_("Delivered on (receipt, signature or arrival in the recipient's system)"),
                widget=DATE,
                required=False,
            )
            self.fields["published_on"] = forms.DateField(
                label=_("Public notice published on"), widget=DATE, required=False
            )
            self.fields["tracking"] = forms.CharField(
                label=_("Tracking number / reference"), required=False, max_length=100
            )

    def payload(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(PAYLOAD_PREFIX) and value not in (None, ""):
                out[name[len(PAYLOAD_PREFIX) :]] = value
        return out

    def document_fields(self) -> dict:
        return {n[len(DOC_PREFIX) :]: v for n, v in self.cleaned_data.items() if n.startswith(DOC_PREFIX)}

    def service(self) -> dict | None:
        if not self.spec["serves"]:
            return None
        keys = ("method", "sent_on", "delivered_on", "published_on", "tracking")
        return {k: self.cleaned_data.get(k) for k in keys}


class PartyFields(forms.Form):
    """The other side of a request, as the requester names it."""

    respondent_name = forms.CharField(label=_("Respondent"), max_length=200)
    respondent_entity = forms.ModelChoiceField(
        label=_("Respondent in the registry (optional)"),
        queryset=Entity.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    respondent_address = forms.CharField(label=_("Respondent's address for service"), max_length=300, required=False)
    respondent_domicile_in_prc = forms.BooleanField(
        label=_("Respondent has a domicile in the PRC"), required=False, initial=True
    )


class FilingForm(PartyFields):
    """A request filed online by an applicant (or entered by staff from a paper filing)."""

    procedure = forms.ChoiceField(label=_("Kind of matter"))
    organisation = forms.ModelChoiceField(label=_("Handling organisation"), queryset=Organisation.objects.none())
    applicant_name = forms.CharField(label=_("Requester"), max_length=200)
    applicant_address = forms.CharField(label=_("Requester's address for service"), max_length=300, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Request and facts"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    patent_kind = forms.ChoiceField(
        label=_("Kind of patent asserted"),
        required=False,
        choices=[
            ("", "—"),
            ("invention", _("Invention")),
            ("utility_model", _("Utility model")),
            ("design", _("Design")),
        ],
    )
    patents = forms.IntegerField(label=_("Number of patents asserted"), min_value=0, initial=1)
    amount_claimed = forms.IntegerField(label=_("Amount claimed (yuan)"), min_value=0, required=False)
    foreign_party = forms.BooleanField(label=_("A party is foreign"), required=False)
    related_cases = forms.IntegerField(label=_("Earlier related cases"), min_value=0, initial=0)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence preserved on the ledger"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    electronic_consent = forms.BooleanField(
        label=_("I agree to receive documents electronically on this platform (送达地址确认)"), required=False
    )

    def __init__(self, *args, procedures, evidence_qs, for_applicant: bool = True, openers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The particulars of every opening step offered (e.g. 线索来源 of a penalty case); each is required by
        # the engine for its own procedure only, which says so when one is missing.
        for transition in openers:
            choices = dict(transition.payload_choices)
            for key in (*transition.payload_required, *choices):
                if PAYLOAD_PREFIX + key not in self.fields:
                    options = choices.get(key)
                    self.fields[PAYLOAD_PREFIX + key] = _field_for(key, ("", *options) if options else None, False)
        if for_applicant:  # an applicant files for their own entity; staff name the requester of a paper filing
            del self.fields["applicant_name"], self.fields["applicant_address"]
        self.fields["procedure"].choices = procedures
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=[
                OrganisationKind.PROTECTION_CENTRE,
                OrganisationKind.QUICK_RIGHTS_CENTRE,
                OrganisationKind.IP_BUREAU,
                OrganisationKind.DISTRICT_OFFICE,
            ]
        ).order_by("name")
        self.fields["evidence"].queryset = evidence_qs
        self.fields["evidence"].label_from_instance = lambda e: f"{e.title} · {e.sha256[:12]}… · #{e.ledger_index}"

    def payload_for(self, transition) -> dict:
        """The particulars given for ``transition`` (the opening step of the chosen procedure)."""
        keys = {*transition.payload_required, *dict(transition.payload_choices)}
        values = {key: self.cleaned_data.get(PAYLOAD_PREFIX + key) for key in keys}
        return {key: value for key, value in values.items() if value not in (None, "")}


class ServiceForm(forms.Form):
    party = forms.ChoiceField(label=_("Served on"))
    method = forms.ChoiceField(label=_("Method of service"), choices=ServiceMethod.choices)
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, required=False)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE, required=False)
    published_on = forms.DateField(label=_("Public notice published on"), widget=DATE, required=False)
    tracking = forms.CharField(label=_("Tracking number / reference"), required=False, max_length=100)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, p.name) for p in parties]


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you submit"), choices=SubmissionKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence preserved on the ledger"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, evidence_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence_qs


class TrackForm(forms.Form):
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)
    reason = forms.CharField(label=_("Reason for the override"), max_length=1000)
