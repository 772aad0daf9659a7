"""HTTP API of evidence: submit a file or a hash and get the receipt; fetch a receipt again.

- ``POST /api/v1/evidence/`` (multipart: ``holder``, ``kind``, ``title``, ``description``, ``file``)
- ``POST /api/v1/evidence/hashes/`` (JSON: ``holder``, ``kind``, ``title``, ``description``, ``sha256``,
  optional ``size`` and ``media_type``)
- ``GET /api/v1/evidence/{id}/receipt/``

Both POSTs answer 201 with the receipt (``huhang-receipt/v1``). ``holder`` is the holder's 统一社会信用代码
or resident ID number; an applicant may leave it out (its own entity). Errors have the shape of
``site/api_errors.py``. Nothing is deleted or changed through the API: evidence is insert-only.
"""

import logging

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huhang.evidence import access, services
from huhang.evidence.models import EvidenceKind
from huhang.evidence.receipts import evidence_receipt
from huhang.evidence.storage import StoreError
from huhang.ledger.errors import LedgerError
from huhang.registry.api import EntityIdentifierField

logger = logging.getLogger(__name__)


class LedgerUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "ledger_unavailable"


class StoreUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "store_unavailable"


def _holder(request, serializer):
    holder = serializer.validated_data.get("holder")
    if holder is None and request.user.entity_id is not None and request.user.role == "applicant":
        return request.user.entity
    if holder is None:
        raise exceptions.ValidationError({"holder": [_("Name the holder by its identifier.")]})
    return holder


def _created(evidence) -> Response:
    try:
        data = evidence_receipt(evidence)
    except LedgerError as exc:
        raise LedgerUnavailable(str(exc)) from None
    response = Response(data.receipt, status=status.HTTP_201_CREATED)
    response["Location"] = f"/api/v1/evidence/{evidence.pk}/receipt/"
    return response


class _EvidenceInput(serializers.Serializer):
    holder = EntityIdentifierField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class _EvidenceSubmitApi(APIView):
    """Validate the input, preserve the evidence through :meth:`submit`, answer 201 with the receipt."""

    InputSerializer: type[serializers.Serializer]

    def submit(self, request, data: dict, holder):
        raise NotImplementedError

    def post(self, request):
        serializer = self.InputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            evidence = self.submit(request, data, _holder(request, serializer))
        except LedgerError as exc:
            raise LedgerUnavailable(str(exc)) from None
        except StoreError as exc:
            logger.error("evidence store failed: %s", exc)
            raise StoreUnavailable(_("The evidence store is not available.")) from None
        return _created(evidence)


class EvidenceUploadApi(_EvidenceSubmitApi):
    """Preserve an uploaded file; answer with its receipt."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema_serializer(component_name="EvidenceUpload")
    class InputSerializer(_EvidenceInput):
        file = serializers.FileField(allow_empty_file=True)

    @extend_schema(request=InputSerializer, responses={201: OpenApiResponse(description="the receipt")})
    def post(self, request):
        return super().post(request)

    def submit(self, request, data, holder):
        return services.evidence_submit(
            actor=request.user,
            holder=holder,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            upload=data["file"],
        )


class EvidenceHashApi(_EvidenceSubmitApi):
    """Preserve only a file's SHA-256 (trade-secret mode); answer with the receipt."""

    @extend_schema_serializer(component_name="EvidenceHash")
    class InputSerializer(_EvidenceInput):
        sha256 = serializers.CharField(max_length=64)
        size = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        media_type = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=100)

    @extend_schema(request=InputSerializer, responses={201: OpenApiResponse(description="the receipt")})
    def post(self, request):
        return super().post(request)

    def submit(self, request, data, holder):
        return services.evidence_submit_hash(
            actor=request.user,
            holder=holder,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            sha256=data["sha256"],
            size=data.get("size"),
            media_type=data.get("media_type"),
        )


class EvidenceReceiptApi(APIView):
    """The receipt of evidence the caller may see."""

    @extend_schema(responses={200: OpenApiResponse(description="the receipt")})
    def get(self, request, id):
        evidence = access.access_evidence(request.user, id)
        try:
            return Response(evidence_receipt(evidence).receipt)
        except LedgerError as exc:
            raise LedgerUnavailable(str(exc)) from None


urlpatterns = [
    path("", EvidenceUploadApi.as_view(), name="api-evidence-upload"),
    path("hashes/", EvidenceHashApi.as_view(), name="api-evidence-hashes"),
    path("<uuid:id>/receipt/", EvidenceReceiptApi.as_view(), name="api-evidence-receipt"),
]
