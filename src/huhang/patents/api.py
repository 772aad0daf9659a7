"""HTTP API of patent analytics (read only), mounted at ``/api/v1/patents/``:

- ``GET /api/v1/patents/search/?q=…&top=10&lang=zh|en`` — similar patents with scores and the passages that
  contain the query's words (``highlights``: ``[start, end)`` character offsets into ``text``);
- ``GET /api/v1/patents/{id}/classification/?lang=zh|en`` — a patent's high-value classification by CNIPA's
  five categories, each with its status (yes / no / unknown) and reasons in that language.

``{id}`` is the analytical record's id (the publication number, e.g. ``CN114081026A``), not the registry's row
number. Authentication and rate limits are the platform's (``Authorization: Token <key>`` or a session;
``HUHANG_API_RATE``); the same users as the search page may call both (huhang.patents.access). Errors have the
shape of ``site/api_errors.py``; while the data are being loaded or indexed the API answers 503.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from huhang.analytics import AnalyticsError
from huhang.analytics.search import Tokenizer
from huhang.patents import access, selectors


class AnalyticsUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "analytics_unavailable"


class _Passage(serializers.Serializer):
    field = serializers.ChoiceField(choices=["title", "abstract", "claims"])
    text = serializers.CharField()
    highlights = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))


class _Hit(serializers.Serializer):
    id = serializers.CharField()
    score = serializers.FloatField()
    title = serializers.CharField(allow_null=True)
    lang = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    applicants = serializers.ListField(child=serializers.CharField())
    year = serializers.IntegerField(allow_null=True)
    passages = _Passage(many=True)


class PatentSearchApi(APIView):
    """Similarity search over titles, abstracts and claims (BM25; Chinese segmented, English stemmed)."""

    permission_classes = [permissions.IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=selectors.MAX_QUERY_CHARS, trim_whitespace=True)
        top = serializers.IntegerField(min_value=1, max_value=selectors.MAX_TOP, default=10)
        lang = serializers.ChoiceField(choices=["", *selectors.LANGS], default="", required=False)

        def validate_q(self, value: str) -> str:
            if not Tokenizer().tokens(value):
                raise serializers.ValidationError(
                    _("The query has no word to search for (only punctuation or common words such as “一种”, “the”).")
                )
            return value

    class OutputSerializer(serializers.Serializer):
        query = serializers.CharField()
        top = serializers.IntegerField()
        lang = serializers.CharField()
        documents = serializers.IntegerField(help_text="patents in the index")
        index_current = serializers.BooleanField(help_text="false when patents were loaded after the index was built")
        mode = serializers.CharField()
        results = _Hit(many=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="query text, Chinese or English"),
            OpenApiParameter("top", int, description="number of results, 1–100 (default 10)"),
            OpenApiParameter("lang", str, enum=["zh", "en"], description="only patents written in this language"),
        ],
        responses={200: OutputSerializer},
    )
    def get(self, request):
        access.require_search(request.user)
        given = self.InputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            result = selectors.patent_search(text=data["q"], top=data["top"], lang=data.get("lang") or "")
        except selectors.AnalyticsUnavailable as exc:
            raise AnalyticsUnavailable(str(exc)) from None
        except AnalyticsError as exc:
            raise exceptions.ValidationError({"q": [str(exc)]}) from None
        out = {
            "query": result.query,
            "top": result.top,
            "lang": result.lang,
            "documents": result.documents,
            "index_current": not result.stale,
            "mode": result.mode,
            "results": [
                {
                    "id": hit.id, "score": round(hit.score, 6), "title": hit.title, "lang": hit.lang,
                    "country": hit.country, "applicants": hit.applicants, "year": hit.year,
                    "passages": [{"field": p.field, "text": p.text, "highlights": [list(h) for h in p.highlights]}
                                 for p in hit.passages],
                }
                for hit in result.hits
            ],
        }  # fmt: skip
        return Response(self.OutputSerializer(out).data)


class PatentClassificationApi(APIView):
    """A patent's high-value classification (CNIPA's five categories) with reasons."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=["zh", "en"], description="language of the reasons")],
        responses={
            200: inline_serializer(
                "PatentClassification",
                {
                    "id": serializers.CharField(),
                    "high_value": serializers.ChoiceField(choices=["yes", "no", "unknown"]),
                    "matched": serializers.ListField(child=serializers.CharField()),
                    "eligible": serializers.DictField(),
                    "categories": serializers.DictField(),
                    "as_of": serializers.DateField(),
                    "pledge_threshold": serializers.FloatField(allow_null=True),
                    "current": serializers.BooleanField(),
                },
            )
        },
    )
    def get(self, request, patent_id: str):
        access.require_search(request.user)
        lang = request.query_params.get("lang", "zh")
        if lang not in selectors.LANGS:
            raise exceptions.ValidationError({"lang": [_("Choose zh or en.")]})
        try:
            found = selectors.patent_classification(patent_id)
        except selectors.AnalyticsUnavailable as exc:
            raise AnalyticsUnavailable(str(exc)) from None
        if found is None:
            raise exceptions.NotFound(_("No patent %(id)s in the analytical store.") % {"id": patent_id})
        assessment, config, current = found
        return Response({
            **assessment.as_dict(lang), "as_of": config.as_of.isoformat(),
            "pledge_threshold": config.pledge_threshold, "current": current,
        })  # fmt: skip


urlpatterns = [
    path("search/", PatentSearchApi.as_view(), name="api-patents-search"),
    path("<path:patent_id>/classification/", PatentClassificationApi.as_view(), name="api-patents-classification"),
]
