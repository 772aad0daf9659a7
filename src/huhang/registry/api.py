"""HTTP API of the registry: one read/write endpoint per register, through the same access and services.

Records are never deleted through the API: a right lapses, a filing ends, a station closes, by new dates.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter

from huhang.registry import access, services
from huhang.registry.forms import find_entity_by_identifier
from huhang.registry.models import Entity
from huhang.registry.resources import RESOURCES, Resource


@extend_schema_field(str)
class EntityIdentifierField(serializers.RelatedField):
    """An entity written as its 统一社会信用代码 or resident ID number (masked as the reader may see it)."""

    default_error_messages = {"unknown": _("No entity with the identifier {value} is registered.")}

    def get_queryset(self):
        return Entity.objects.all()

    def to_representation(self, value):
        return access.shown_identifier(self.context["request"].user, value)

    def to_internal_value(self, data):
        entity = find_entity_by_identifier(str(data))
        if entity is None:
            self.fail("unknown", value=data)
        return entity


class EntitySerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=False, required=False, allow_null=True,
                                            queryset=Entity._meta.get_field("district").related_model.objects)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=False, required=False, allow_null=True,
                                            queryset=Entity._meta.get_field("industry").related_model.objects)

    class Meta:
        model = Entity
        fields = ["id", *RESOURCES["entities"].fields, "is_demo", "created_at", "updated_at"]
        read_only_fields = ["is_demo", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_individual:
            data["resident_id"] = access.shown_identifier(self.context["request"].user, instance)
        return data


def serializer_for(resource: Resource) -> type[serializers.ModelSerializer]:
    if resource.model is Entity:
        return EntitySerializer
    attrs = {}
    for name in resource.fields:
        field = resource.model._meta.get_field(name)
        if field.many_to_many and field.related_model is Entity:
            attrs[name] = EntityIdentifierField(many=True, required=False)
        elif field.is_relation and field.related_model is Entity:
            attrs[name] = EntityIdentifierField(required=not field.blank, allow_null=field.null)
    meta = type("Meta", (), {"model": resource.model, "fields": ["id", *resource.fields]})
    return type(f"{resource.model.__name__}Serializer", (serializers.ModelSerializer,), {**attrs, "Meta": meta})


class RegistryWritePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return access.can_edit(request.user, view.resource.model)


class RegistryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    resource: Resource
    permission_classes = [permissions.IsAuthenticated, RegistryWritePermission]

    def get_queryset(self):
        qs = access.records_visible_to(self.request.user, self.resource.model)
        return qs.select_related(*self.resource.select_related).order_by("-pk")

    def _save(self, serializer):
        data = dict(serializer.validated_data)
        owners = data.pop("owners", None)
        instance = serializer.instance or self.resource.model()
        for name, value in data.items():
            setattr(instance, name, value)
        serializer.instance = services.record_save(actor=self.request.user, instance=instance, owners=owners)

    perform_create = _save
    perform_update = _save


def _viewset_for(resource: Resource) -> type[RegistryViewSet]:
    return type(
        f"{resource.model.__name__}ViewSet",
        (RegistryViewSet,),
        {
            "resource": resource,
            "serializer_class": serializer_for(resource),
            "filterset_fields": resource.filters,
            "__doc__": f"{resource.model._meta.verbose_name_plural}",
        },
    )


router = DefaultRouter()
for _resource in RESOURCES.values():
    router.register(_resource.slug, _viewset_for(_resource), basename=f"api-{_resource.slug}")
