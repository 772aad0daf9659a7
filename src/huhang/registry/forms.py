"""Form fields and forms for the registry pages: entity references by identifier, never by a huge list."""

import re

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from huhang import identifiers
from huhang.registry.models import Entity, EntityKind
from huhang.registry.models.rights import normalise_ipc

_SEPARATORS = re.compile(r"[;,；，、\s]+")


def find_entity_by_identifier(text: str) -> Entity | None:
    """Return the entity whose USCC or resident ID number is ``text`` (normalised), or None."""
    raw = (text or "").strip().upper()
    for validate, field in ((identifiers.validate_uscc, "uscc"), (identifiers.validate_resident_id, "resident_id")):
        try:
            value = validate(raw)
        except identifiers.IdentifierError:
            continue
        return Entity.objects.filter(**{field: value}).first()
    return None


class EntityRefField(forms.CharField):
    """An entity named by its 统一社会信用代码 or resident ID number."""

    default_error_messages = {
        "unknown": _("No entity with the identifier %(value)s is registered."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Unified social credit code, or resident ID number for a person."))
        super().__init__(max_length=18, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Entity):
            return value.identifier
        if isinstance(value, int):
            entity = Entity.objects.filter(pk=value).first()
            return entity.identifier if entity else value
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        entity = find_entity_by_identifier(text)
        if entity is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})
        return entity


class EntityListField(forms.CharField):
    """Several entities, by identifier, separated by semicolons, commas or new lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Identifiers of the owners, separated by semicolons or new lines.")
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return "\n".join(e.identifier if isinstance(e, Entity) else str(e) for e in value)

    def clean(self, value):
        text = super().clean(value) or ""
        entities, unknown = [], []
        for token in filter(None, _SEPARATORS.split(text)):
            entity = find_entity_by_identifier(token)
            (entities if entity else unknown).append(entity or token)
        if unknown:
            raise forms.ValidationError(
                _("No entity with the identifier %(value)s is registered."),
                code="unknown",
                params={"value": "、".join(unknown)},
            )
        return entities


class IpcListField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("IPC codes such as H01L31/02, separated by semicolons."))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "; ".join(value) if isinstance(value, list) else value

    def clean(self, value):
        text = super().clean(value) or ""
        return [normalise_ipc(code) for code in re.split(r"[;,；，\s]+", text) if code]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = [
            "kind", "name", "uscc", "resident_id", "district", "industry", "size",
            "address", "contact_name", "contact_phone", "established_on",
        ]
        widgets = {"established_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("kind") == EntityKind.INDIVIDUAL:
            data["uscc"] = None
        else:
            data["resident_id"] = None
        return data


def registry_form(model, fields: list[str]) -> type[forms.ModelForm]:
    """Build the create/edit form of ``model``: dates as date pickers, entity links by identifier."""

    def formfield(db_field, **kwargs):
        if db_field.name == "owners":
            return EntityListField(label=db_field.verbose_name)
        if db_field.name == "ipc_codes":
            return IpcListField(label=db_field.verbose_name)
        if db_field.is_relation and db_field.related_model is Entity:
            return EntityRefField(label=db_field.verbose_name, required=not db_field.blank)
        if db_field.get_internal_type() == "DateField":
            kwargs["widget"] = DateInput()
        return db_field.formfield(**kwargs)

    return modelform_factory(model, fields=fields, formfield_callback=formfield)
