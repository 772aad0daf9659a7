"""The registry's kinds of record, declared once and used by pages, exports and the API."""

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from huhang.registry import models as m
from huhang.registry.forms import EntityForm, registry_form


@dataclass(frozen=True, eq=False)
class Resource:
    slug: str
    model: type[Model]
    fields: list[str]
    columns: list[str]
    search: list[str]
    filters: list[str] = field(default_factory=list)
    form: type | None = None
    select_related: list[str] = field(default_factory=list)

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural

    def form_class(self):
        return self.form or registry_form(self.model, self.fields)


_RIGHT_FILTERS = ["status"]

RESOURCES: dict[str, Resource] = {
    r.slug: r
    for r in [
        Resource(
            "entities",
            m.Entity,
            fields=EntityForm.Meta.fields,
            columns=["name", "identifier", "kind", "district", "industry", "size"],
            search=["name", "uscc"],
            filters=["kind", "district", "industry", "size"],
            form=EntityForm,
            select_related=["district", "industry"],
        ),
        Resource(
            "patents",
            m.Patent,
            fields=[
                "title", "application_number", "publication_number", "kind", "status",
                "application_date", "grant_date", "ipc_codes", "owners", "abstract",
            ],
            columns=["title", "application_number", "publication_number", "kind", "ipc_main", "status"],
            search=["title", "application_number", "publication_number", "ipc_main"],
            filters=["kind", "status", "country"],
        ),
        Resource(
            "trademarks",
            m.Trademark,
            fields=["title", "registration_number", "nice_class", "goods", "status", "registered_on",
                    "expires_on", "owners"],
            columns=["title", "registration_number", "nice_class", "status", "expires_on"],
            search=["title", "registration_number"],
            filters=["nice_class", *_RIGHT_FILTERS],
        ),
        Resource(
            "copyrights",
            m.Copyright,
            fields=["title", "registration_number", "work_kind", "status", "registered_on", "completed_on",
                    "owners"],
            columns=["title", "registration_number", "work_kind", "registered_on"],
            search=["title", "registration_number"],
            filters=["work_kind", *_RIGHT_FILTERS],
        ),
        Resource(
            "geographical-indications",
            m.GeographicalIndication,
            fields=["title", "product", "region", "scheme", "announcement_number", "protected_on", "status",
                    "owners"],
            columns=["title", "product", "region", "scheme", "protected_on"],
            search=["title", "product", "region"],
            filters=["scheme", *_RIGHT_FILTERS],
        ),
        Resource(
            "trade-secrets",
            m.TradeSecretAsset,
            fields=["title", "category", "protective_measures", "identified_on", "status", "owners"],
            columns=["title", "category", "identified_on", "status"],
            search=["title"],
            filters=["category", *_RIGHT_FILTERS],
        ),
        Resource(
            "data-ip",
            m.DataIP,
            fields=["title", "registration_number", "data_description", "registered_on", "status", "owners"],
            columns=["title", "registration_number", "registered_on", "status"],
            search=["title", "registration_number"],
            filters=_RIGHT_FILTERS,
        ),
        Resource(
            "filings",
            m.Filing,
            fields=["entity", "centre", "reference", "fields", "valid_from", "valid_to"],
            columns=["entity", "centre", "reference", "valid_from", "valid_to"],
            search=["entity__name", "entity__uscc", "reference"],
            filters=["centre"],
            select_related=["entity", "centre"],
        ),
        Resource(
            "stations",
            m.ServiceStation,
            fields=["kind", "name", "level", "district", "address", "host", "opened_on", "closed_on"],
            columns=["name", "kind", "level", "district", "opened_on", "closed_on"],
            search=["name", "address"],
            filters=["kind", "level", "district"],
            select_related=["district"],
        ),
        Resource(
            "trade-secret-library",
            m.TradeSecretDesignation,
            fields=["entity", "kind", "designated_on", "revoked_on", "designated_by"],
            columns=["entity", "kind", "designated_on", "revoked_on"],
            search=["entity__name", "entity__uscc"],
            filters=["kind"],
            select_related=["entity"],
        ),
        Resource(
            "experts",
            m.Expert,
            fields=["name", "kind", "fields", "employer", "professional_title", "phone", "appointed_on",
                    "retired_on"],
            columns=["name", "kind", "fields", "employer", "appointed_on", "retired_on"],
            search=["name", "fields", "employer"],
            filters=["kind"],
        ),
    ]
}

SECTION_LABELS = {"entities": _("Entities"), "rights": _("IP rights"), "network": _("Service network")}


def resource_for(slug: str) -> Resource | None:
    return RESOURCES.get(slug)
