"""HTTP API of evidence: submit a file or a hash and get the receipt; fetch a receipt again.

- ``POST /api/v1/evidence/`` (multipart: ``holder``, ``kind``, ``title``, ``description``, ``file``)
- ``POST /api/v1/evidence/hashes/`` (JSON: ``holder``, ``kind``, ``title``, ``description``, ``sha256``,
  optional ``size`` and ``media_type``)
- ``GET /api/v1/evidence/{id}/receipt/``

Both POSTs answer 201 with the receipt (``huhang-receipt/v1``). ``holder`` is the holder's 统一社会信用代码
or resident ID number; an applicant may leave it out (its own entity). Errors have the shape of
``site/api_errors.py``. Nothing is deleted or changed through the API: evidence is insert-only.

Hash-only submissions are the API's hot path (partner systems send them in bulk), so its per-request work
is kept lean without changing what it checks or answers: the holder is looked up with SQL compiled once
(:mod:`huhang.site.lookups`, as the API token is), input that is plainly valid skips the serializer (any
other input goes through it, which words the errors), and the receipt comes from the acknowledgement of the
append (:func:`huhang.evidence.receipts.submission_receipt`). A plainly valid submission is even answered
before Django's request handling, by :mod:`huhang.evidence.hash_gateway`, with the same checks and answer.
"""

import functools
import logging

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huhang.evidence import access, services
from huhang.evidence.models import EvidenceKind
from huhang.evidence.receipts import evidence_receipt, submission_receipt
from huhang.evidence.storage import StoreError
from huhang.identifiers import IdentifierError, validate_resident_id, validate_uscc
from huhang.ledger.errors import LedgerError
from huhang.registry.api import EntityIdentifierField
from huhang.registry.models import Entity
from huhang.site.lookups import RowLookup

logger = logging.getLogger(__name__)


class LedgerUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "ledger_unavailable"


class StoreUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "store_unavailable"


def _holder(request, data: dict):
    holder = data.get("holder")
    if holder is None and request.user.entity_id is not None and request.user.role == "applicant":
        return request.user.entity
    if holder is None:
        raise exceptions.ValidationError({"holder": [_("Name the holder by its identifier.")]})
    return holder


def created_response(evidence) -> Response:
    """The answer to a submission of ``evidence`` just preserved: 201 with its receipt, and where to fetch it."""
    response = Response(created_receipt(evidence), status=status.HTTP_201_CREATED)
    response["Location"] = receipt_location(evidence)
    return response


def created_receipt(evidence) -> dict:
    """The receipt :func:`created_response` answers with; ``LedgerUnavailable`` if the ledger cannot make it."""
    try:
        return submission_receipt(evidence).receipt
    except LedgerError as exc:
        raise LedgerUnavailable(str(exc)) from None


def receipt_location(evidence) -> str:
    """Where the receipt of ``evidence`` can be fetched again (the ``Location`` of :func:`created_response`)."""
    return f"/api/v1/evidence/{evidence.pk}/receipt/"


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

    def plainly_valid(self, request) -> dict | None:
        """Return what the serializer would validate, for input it accepts as it stands; None otherwise."""
        return None

    def post(self, request):
        data = self.plainly_valid(request)
        if data is None:
            serializer = self.InputSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        try:
            evidence = self.submit(request, data, _holder(request, data))
        except LedgerError as exc:
            raise LedgerUnavailable(str(exc)) from None
        except StoreError as exc:
            logger.error("evidence store failed: %s", exc)
            raise StoreUnavailable(_("The evidence store is not available.")) from None
        return created_response(evidence)


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

    def plainly_valid(self, request) -> dict | None:
        return plain_hash_input(request.data)

    def submit(self, request, data, holder):
        return services.evidence_submit_hash(actor=request.user, holder=holder, **hash_facts(data))


def hash_facts(data: dict) -> dict:
    """What :func:`services.evidence_submit_hash` takes of the validated input, besides actor and holder."""
    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "sha256": data["sha256"],
        "size": data.get("size"),
        "media_type": data.get("media_type"),
    }


# What a submission uses of its holder (the others are deferred, read if ever asked for).
_HOLDER_FIELDS = ("kind", "name", "uscc", "resident_id")
_HOLDER_LOOKUP = (
    RowLookup(Entity, by="uscc", only=_HOLDER_FIELDS),
    RowLookup(Entity, by="resident_id", only=_HOLDER_FIELDS),
)
_KINDS = frozenset(EvidenceKind.values)


@functools.lru_cache(maxsize=4096)
def _holder_identifier(text: str) -> tuple[RowLookup, str] | None:
    """The lookup that finds the holder ``text`` names (USCC or resident ID number) and its normalised value.

    Kept for the texts seen last: partner systems name the same holders again and again, and checking an
    identifier's check digits costs more than reading the holder's row.
    """
    raw = text.strip().upper()
    for validate, lookup in zip((validate_uscc, validate_resident_id), _HOLDER_LOOKUP, strict=True):
        try:
            return lookup, validate(raw)
        except IdentifierError:
            continue
    return None


def _find_holder(text: str) -> Entity | None:
    """``find_entity_by_identifier``, with its query compiled once."""
    named = _holder_identifier(text)
    return None if named is None else named[0].get(named[1])


def find_holders(texts) -> dict[str, Entity | None]:
    """:func:`_find_holder` for several identifiers, with one query per kind of identifier: ``{text: holder}``."""
    named = {text: _holder_identifier(text) for text in texts}
    wanted: dict[RowLookup, list[str]] = {lookup: [] for lookup in _HOLDER_LOOKUP}
    for which in named.values():
        if which is not None:
            wanted[which[0]].append(which[1])
    found = {lookup: lookup.get_many(values) if values else {} for lookup, values in wanted.items()}
    return {text: None if which is None else found[which[0]].get(which[1]) for text, which in named.items()}


def _plain_text(value, *, limit: int, blank: bool) -> str | None:
    """The value of a DRF ``CharField(max_length=limit, allow_blank=blank)`` for a plainly valid string, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return "" if blank else None
    if len(text) > limit or "\x00" in text:
        return None
    try:
        text.encode("utf-8")  # fails on surrogate code points, which the serializer refuses
    except UnicodeEncodeError:
        return None
    return text


def plain_hash_input(payload, holders: dict[str, Entity | None] | None = None) -> dict | None:
    """Return ``EvidenceHashApi.InputSerializer``'s validated data for a JSON object it accepts as it stands.

    Return None for anything else: a form, a missing or refused field, an unknown holder, a value of another
    type than the field's own (which the serializer may convert). The serializer then validates it and
    words the errors, so answers are the same either way. ``holders`` are holders looked up already
    (:func:`find_holders`); one not among them is looked up here.
    """
    if type(payload) is not dict:
        return None
    data = {}
    kind = payload.get("kind")
    if not isinstance(kind, str) or kind not in _KINDS:
        return None
    data["kind"] = kind
    for name, limit, blank, required in (
        ("title", 200, False, True),
        ("description", 2000, True, False),
        ("sha256", 64, False, True),
        ("media_type", 100, True, False),
    ):
        if name not in payload:
            if required:
                return None
            if name == "description":
                data[name] = ""
            continue
        value = payload[name]
        if value is None and name == "media_type":
            data[name] = None
            continue
        text = _plain_text(value, limit=limit, blank=blank)
        if text is None:
            return None
        data[name] = text
    if "size" in payload:
        size = payload["size"]
        if size is not None and (type(size) is not int or size < 1):
            return None
        data["size"] = size
    if "holder" in payload:
        holder = payload["holder"]
        if holder is not None:
            if not isinstance(holder, str) or not holder:
                return None
            holder = holders[holder] if holders is not None and holder in holders else _find_holder(holder)
            if holder is None:
                return None
        data["holder"] = holder
    return data


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
