"""Forms of the evidence pages: they parse input; the services decide what is valid and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huhang.evidence.models import EvidenceKind
from huhang.registry.forms import EntityRefField

PRIVACY_HELP = _("Recorded in the ledger and printed on the receipt: write no personal data or secrets here.")


class _EvidenceForm(forms.Form):
    holder = EntityRefField(label=_("Holder"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=PRIVACY_HELP)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_holder = None
        if user.role == "applicant" and not user.is_superuser:
            # An applicant submits for the entity it represents, and only for it.
            self.fixed_holder = user.entity
            del self.fields["holder"]

    def chosen_holder(self):
        return self.fixed_holder if self.fixed_holder is not None else self.cleaned_data.get("holder")


class EvidenceUploadForm(_EvidenceForm):
    file = forms.FileField(label=_("File"), allow_empty_file=True)


class EvidenceHashForm(_EvidenceForm):
    sha256 = forms.CharField(
        label=_("SHA-256 of the file"),
        max_length=64,
        help_text=_("Computed in your browser; or paste the output of sha256sum."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    size = forms.IntegerField(label=_("Size in bytes (optional)"), required=False, min_value=1)
    media_type = forms.CharField(label=_("Media type (optional)"), max_length=100, required=False)


class VerifyForm(forms.Form):
    receipt = forms.FileField(label=_("Receipt (JSON file)"))
    file = forms.FileField(label=_("The preserved file (optional)"), required=False, allow_empty_file=True)
