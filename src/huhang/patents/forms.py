"""Input of the patent-analytics pages and API, validated with messages that say what to change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huhang.analytics.ipc import normalise_ipc
from huhang.analytics.navigation import YEAR_BASES
from huhang.analytics.search import Tokenizer
from huhang.patents.selectors import MAX_QUERY_CHARS, MAX_TOP

LANG_CHOICES = [
    ("", gettext_lazy("Chinese and English")),
    ("zh", gettext_lazy("Chinese")),
    ("en", gettext_lazy("English")),
]
LEVEL_CHOICES = [
    ("section", gettext_lazy("Section")),
    ("class", gettext_lazy("Class")),
    ("subclass", gettext_lazy("Subclass")),
    ("main_group", gettext_lazy("Main group")),
]
YEAR_BASIS_CHOICES = [
    ("publication", gettext_lazy("Publication year")),
    ("application", gettext_lazy("Filing year")),
    ("priority", gettext_lazy("Priority year")),
]
assert {code for code, _label in YEAR_BASIS_CHOICES} == set(YEAR_BASES)
MAX_PRODUCTS = 20
MAX_PRODUCT_CHARS = 2000
MAX_RISK_TOP = 50
FIRST_YEAR, LAST_YEAR = 1900, 2100


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Query"), max_length=MAX_QUERY_CHARS, strip=True)
    top = forms.IntegerField(label=gettext_lazy("Results"), min_value=1, max_value=MAX_TOP, initial=10, required=False)
    lang = forms.ChoiceField(label=gettext_lazy("Patents in"), choices=LANG_CHOICES, required=False)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if not Tokenizer().tokens(text):
            raise forms.ValidationError(
                _("The query has no word to search for (only punctuation or common words such as “一种”, “the”).")
            )
        return text

    def clean_top(self) -> int:
        return self.cleaned_data.get("top") or 10


class LandscapeForm(forms.Form):
    ipc = forms.CharField(label=gettext_lazy("IPC code or prefix"), max_length=20, required=False, strip=True)
    sei = forms.CharField(label=gettext_lazy("Strategic emerging industry"), max_length=10, required=False)
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    applicant = forms.CharField(label=gettext_lazy("Applicant"), max_length=200, required=False, strip=True)
    basis = forms.ChoiceField(label=gettext_lazy("Year of"), choices=YEAR_BASIS_CHOICES, required=False)
    level = forms.ChoiceField(label=gettext_lazy("IPC level"), choices=LEVEL_CHOICES, required=False)

    def __init__(self, *args, industries: list[tuple[str, str]] | None = (), **kwargs):
        super().__init__(*args, **kwargs)
        # None: the store cannot be read now, so the code is not checked here (the landscape then answers 503).
        self.industries = None if industries is None else dict(industries)

    def clean_ipc(self) -> str:
        text = self.cleaned_data["ipc"]
        if not text:
            return ""
        code = normalise_ipc(text)
        if code is None:
            raise forms.ValidationError(
                _("“%(code)s” is not an IPC code: write a section (H), class (H04), subclass (H04W), main group "
                  "(H04W4/00) or group (H04W4/12).") % {"code": text}
            )  # fmt: skip
        return code

    def clean_sei(self) -> str:
        code = (self.cleaned_data["sei"] or "").strip()
        if code and self.industries is not None and code not in self.industries:
            raise forms.ValidationError(_("“%(code)s” is not a strategic emerging industry code.") % {"code": code})
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", _("The last year comes before the first."))
        data["basis"] = data.get("basis") or "publication"
        data["level"] = data.get("level") or "subclass"
        return data


class RiskForm(forms.Form):
    company = forms.CharField(
        label=gettext_lazy("Company"), max_length=200, required=False, strip=True,
        help_text=gettext_lazy("Its own patents (by applicant name) are left out of the comparison."),
    )  # fmt: skip
    products = forms.CharField(
        label=gettext_lazy("Products or claims"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 90}),
        help_text=gettext_lazy("One product description or claim per line (paragraph); at most 20."),
    )
    top = forms.IntegerField(
        label=gettext_lazy("Patents per product"), min_value=1, max_value=MAX_RISK_TOP, initial=10, required=False
    )

    def clean_products(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["products"].splitlines()]
        products = [line for line in lines if line]
        if len(products) > MAX_PRODUCTS:
            raise forms.ValidationError(
                _("%(count)d paragraphs: give at most %(max)d products or claims per report.")
                % {"count": len(products), "max": MAX_PRODUCTS}
            )
        tokenizer = Tokenizer()
        for number, product in enumerate(products, start=1):
            if len(product) > MAX_PRODUCT_CHARS:
                raise forms.ValidationError(
                    _("Paragraph %(number)d has %(length)d characters: shorten it to %(max)d.")
                    % {"number": number, "length": len(product), "max": MAX_PRODUCT_CHARS}
                )
            if not tokenizer.tokens(product):
                raise forms.ValidationError(
                    _("Paragraph %(number)d has no word to compare (only punctuation or common words).")
                    % {"number": number}
                )
        return products

    def clean_top(self) -> int:
        return self.cleaned_data.get("top") or 10
